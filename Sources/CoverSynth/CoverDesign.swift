/// Everything that decides one synthetic cover, drawn from its seed.
///
/// The class works through one hidden number, `quality` in 0…1: popular covers draw it from
/// N(0.74, 0.11²), other covers from N(0.28, 0.11²). `quality` sets the contrast between type,
/// figure and ground, the title's size, whether there is one focal image or several, and how much
/// clutter (taglines, badges, frames, bands, scattered shapes) is added, each with its own random
/// spread, and the style, layout and palette vary freely on top. So the classes overlap: a few
/// covers of each class draw a quality typical of the other, and more look like the other class
/// in one or two respects. The pretrained EfficientNet-Lite0 embedding with a linear head
/// separates them well (validation ROC AUC above 0.9 on fresh sets; the end-to-end test checks
/// it) but not perfectly, as with real covers. The classes were closer before (means 0.64 and
/// 0.38, deviation 0.16), and that head reached only about 0.7–0.75 AUC.
///
/// The public properties can be changed before rendering (tests force a Korean title this way);
/// palette, layout and noise are drawn when the cover is rendered, from the same seed.
public struct CoverDesign: Sendable, Equatable {
    public var seed: UInt64
    public var style: CoverStyle
    public var coverClass: CoverClass
    /// The hidden "design quality" in 0…1 (see the type's documentation).
    public var quality: Double
    public var language: TitleLanguage
    public var title: String
    public var author: String
    /// The quality the cover is saved at (70…92): real covers come with all sorts of compression.
    public var jpegQuality: Int

    /// Mean and spread of `quality` per class. `classGap` scales the distance of the means from
    /// their midpoint 0.51 (1 = the default set; 0.3 puts the means at 0.579 and 0.441, so many
    /// covers of each class look like the other's: a harder set, for measuring how much a method
    /// gains where the default set is easy for all of them).
    public static func qualityDistribution(_ coverClass: CoverClass, classGap: Double = 1) -> (mean: Double, deviation: Double) {
        if classGap != 1 { return (0.51 + (coverClass == .popular ? 0.23 : -0.23) * classGap, 0.11) }
        switch coverClass {
        case .popular: return (0.74, 0.11)
        case .other: return (0.28, 0.11)
        }
    }

    public init(seed: UInt64, style: CoverStyle, coverClass: CoverClass, classGap: Double = 1) {
        var random = CoverRandom(seed: CoverRandom.derive(seed, 1, 0))
        let (mean, deviation) = Self.qualityDistribution(coverClass, classGap: classGap)
        self.seed = seed
        self.style = style
        self.coverClass = coverClass
        quality = min(max(mean + deviation * random.normal(), 0.02), 0.98)
        language = random.chance(0.4) ? .korean : .english
        title = Self.title(style, language, &random)
        author = Self.author(language, &random)
        jpegQuality = random.int(70...92)
    }

    private static func title(_ style: CoverStyle, _ language: TitleLanguage, _ random: inout CoverRandom) -> String {
        let words = WordLists.vocabulary(style, language)
        let adjective = random.pick(words.adjectives)
        let noun = random.pick(words.nouns)
        var other = random.pick(words.nouns)
        if other == noun { other = words.nouns[(words.nouns.firstIndex(of: noun)! + 1) % words.nouns.count] }
        switch (language, random.int(0...3)) {
        case (.english, 0): return "The \(adjective) \(noun)"
        case (.english, 1): return "\(noun) of \(other)"
        case (.english, 2): return "\(adjective) \(noun)"
        case (.english, _): return "The \(noun)"
        case (.korean, 0): return "\(adjective) \(noun)"
        case (.korean, 1): return "\(noun)의 \(other)"
        case (.korean, 2): return "\(adjective) \(noun)"
        case (.korean, _): return noun
        }
    }

    private static func author(_ language: TitleLanguage, _ random: inout CoverRandom) -> String {
        switch language {
        case .english: "\(random.pick(WordLists.englishFirstNames)) \(random.pick(WordLists.englishSurnames))"
        case .korean: "\(random.pick(WordLists.koreanSurnames))\(random.pick(WordLists.koreanGivenNames))"
        }
    }
}
