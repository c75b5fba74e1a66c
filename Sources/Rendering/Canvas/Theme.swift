/// The house style every figure shares: white ground, near-black ink, one restrained accent
/// palette, light grey grid, and type no smaller than matplotlib's 10 pt default.
public enum Theme {
    /// Noto Sans CJK covers Latin, Hangul, kana and han in one design; DejaVu Sans is the fallback
    /// for symbols Noto lacks.
    public static let fontFamily = "Noto Sans CJK KR, DejaVu Sans, sans-serif"

    public static let background = Colour.white
    public static let ink = Colour(hex: 0x222222)
    public static let secondaryInk = Colour(hex: 0x5F6368)
    public static let gridLine = Colour(hex: 0xE5E5E5)
    public static let axisLine = Colour(hex: 0x6B6B6B)
    public static let panelBorder = Colour(hex: 0xD0D0D0)
    public static let marker = Colour(hex: 0x444444)
    /// The alarm colour: near-duplicates and warnings.
    public static let alert = Colour(hex: 0xD62728)

    /// Series colours in order of use: a muted blue / orange pair first (popular vs other,
    /// train vs validation), distinguishable by colour-blind readers.
    public static let series: [Colour] = [
        Colour(hex: 0x2F6DB5), Colour(hex: 0xE0812F), Colour(hex: 0x3A9A5B),
        Colour(hex: 0x8E5BB0), Colour(hex: 0xC0504D), Colour(hex: 0x7F7F7F),
    ]

    public static let title = TextStyle(size: 13, weight: .bold)
    public static let subtitle = TextStyle(size: 10.5, colour: secondaryInk)
    public static let axisLabel = TextStyle(size: 10.5)
    public static let tickLabel = TextStyle(size: 10, colour: Colour(hex: 0x444444))
    public static let caption = TextStyle(size: 10)
    public static let legend = TextStyle(size: 10)

    /// Outer margin of every figure.
    public static let margin: Double = 20
}
