import Rendering

/// Type and spacing of the PDF report.
///
/// Rendering's text sizes are CSS-like points at 96 dpi while a PDF unit is 1/72 in, so a style of
/// size s prints at s × 96/72 pt: body text 7.5 prints at 10 pt.
enum PDFStyle {
    static let margin = (top: 54.0, bottom: 64.0, left: 50.0, right: 50.0)

    static let h1 = TextStyle(size: 16.5, weight: .bold)
    static let h2 = TextStyle(size: 12, weight: .bold)
    static let h3 = TextStyle(size: 9, weight: .bold)
    static let h4 = TextStyle(size: 7.5, weight: .bold, colour: Theme.secondaryInk)
    static let subtitle = TextStyle(size: 8.6, colour: Theme.secondaryInk)
    static let body = TextStyle(size: 7.5)
    static let note = TextStyle(size: 6.8, colour: Theme.secondaryInk)
    static let tableHeader = TextStyle(size: 6.6, weight: .bold, colour: Theme.secondaryInk)
    static let tableCell = TextStyle(size: 7, colour: Theme.ink)
    static let mono = TextStyle(family: "DejaVu Sans Mono, Noto Sans Mono CJK KR, monospace", size: 6.2)
    static let footer = TextStyle(size: 6.4, colour: Theme.secondaryInk)
    static let alert = TextStyle(size: 7.5, weight: .bold, colour: Theme.alert)

    /// By `Verdict.tone`, the same colours as the page's style sheet.
    static let toneColours: [String: Colour] = [
        "good": Colour(hex: 0x2E7D4F), "neutral": Colour(hex: 0x2F5F8A), "doubt": Colour(hex: 0x8A6D1D),
        "weak": Colour(hex: 0x9A3B33),
    ]

    static func colour(_ verdict: Verdict) -> Colour { toneColours[verdict.tone] ?? Theme.ink }

    /// Space after a block.
    static let gap = 10.0
}
