/// Every word a figure draws by itself (titles, axis names, captions), so a report in Korean gets
/// Korean figures. Data — file names, feature names, numbers — comes from the caller as is.
///
/// The words themselves live only in the report's locale files (`Templates/locales/*.json`, under
/// `figure.*` and a few page keys); `init(text:)` reads them through whatever string table the
/// caller has, so a language added there is a language the figures speak.
public struct FigureLabels: Equatable, Sendable {
    // Similarity grid
    public var similarityGridTitle: String
    public var candidate: String
    public var nearDuplicate: String
    public var noMatches: String
    /// Prefix of a match's score, e.g. "cosine" in "cosine 0.912".
    public var cosine: String
    // Similarity heatmap
    public var heatmapTitle: String
    public var candidates: String
    public var popularCovers: String
    public var cosineSimilarity: String
    // Training curves
    public var lossTitle: String
    public var validationTitle: String
    public var epoch: String
    public var lossAxis: String
    public var scoreAxis: String
    public var train: String
    public var validation: String
    public var auc: String
    public var accuracy: String
    /// "best epoch 9": the epoch number follows.
    public var bestEpoch: String
    // Palettes
    public var palettesTitle: String
    public var noColours: String
    // Distributions
    /// "Distribution of brightness": the feature name follows.
    public var distributionOf: String
    public var popular: String
    public var other: String
    public var shareOfGroup: String
    // Image grids
    /// "+12 more": the count precedes.
    public var more: String
    // Grad-CAM
    public var gradCAMTitle: String
    public var cover: String
    public var overlay: String
    public var attention: String
    public var low: String
    public var high: String

    /// Labels from a string table keyed as the locale files are ("figure.epoch", "candidate.matches").
    public init(text: (String) -> String) {
        func f(_ key: String) -> String { text("figure." + key) }
        similarityGridTitle = text("candidate.matches"); candidate = f("candidate"); nearDuplicate = f("near_duplicate")
        noMatches = f("no_matches"); cosine = f("cosine")
        heatmapTitle = text("common.heatmap"); candidates = f("heatmap_rows"); popularCovers = f("heatmap_columns")
        cosineSimilarity = f("heatmap_scale")
        lossTitle = f("loss"); validationTitle = f("validation_title"); epoch = f("epoch"); lossAxis = f("bce")
        scoreAxis = f("score"); train = f("train"); validation = f("validation"); auc = f("auc"); accuracy = f("accuracy")
        bestEpoch = f("best_epoch")
        palettesTitle = text("common.palettes"); noColours = f("no_colours")
        distributionOf = f("distribution_of"); popular = f("popular_group"); other = f("other_group")
        shareOfGroup = f("share_of_group"); more = f("more")
        gradCAMTitle = text("candidate.attention"); cover = f("attention_cover"); overlay = f("attention_overlay")
        attention = f("attention_scale"); low = f("low"); high = f("high")
    }
}
