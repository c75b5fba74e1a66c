/// How display type looks — a title or author line set as a designer would, not a figure label:
/// any weight, italic, letter spacing, condensed letters, several lines. Latin text asks for
/// `latinFamily` first and falls back to the Korean family (the other way round for Hangul), so a
/// mixed title never shows boxes. Sizes are in pixels (absolute), not points.
public struct Lettering: Equatable, Sendable {
    public var latinFamily: String
    public var koreanFamily: String
    /// CSS-like weight: 400 regular, 500 medium, 600 demi, 700 bold, 900 black.
    public var weight: Int
    public var italic: Bool
    /// Extra space between letters, as a fraction of the font size.
    public var letterSpacing: Double
    /// Horizontal scale: < 1 squeezes the letters, the poster "condensed" look.
    public var condense: Double
    /// Where `x` sits for `Canvas.drawLettering`, and how lines align with each other.
    public var align: Anchor.Horizontal
    /// Line height as a multiple of the font's.
    public var lineSpacing: Double

    public init(latinFamily: String, koreanFamily: String, weight: Int = 400, italic: Bool = false,
                letterSpacing: Double = 0, condense: Double = 1, align: Anchor.Horizontal = .center,
                lineSpacing: Double = 1) {
        self.latinFamily = latinFamily
        self.koreanFamily = koreanFamily
        self.weight = weight
        self.italic = italic
        self.letterSpacing = letterSpacing
        self.condense = condense
        self.align = align
        self.lineSpacing = lineSpacing
    }

    /// The Pango family list for `text`: the Korean family first when the text has Hangul.
    func families(for text: String) -> String {
        text.containsHangul ? "\(koreanFamily),\(latinFamily)" : "\(latinFamily),\(koreanFamily)"
    }
}

/// What to draw around the letters, for legibility or mood.
public enum LetteringEffect: Equatable, Sendable {
    case none
    /// A soft halo (science fiction's neon).
    case glow(Colour)
    /// A solid outline of the given width (children's sticker letters).
    case outline(Colour, width: Double)
    /// A soft drop shadow.
    case shadow(Colour)
}

extension String {
    /// True if any character is a Hangul syllable or jamo.
    var containsHangul: Bool {
        unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) || (0x1100...0x11FF).contains($0.value)
            || (0x3130...0x318F).contains($0.value) }
    }
}
