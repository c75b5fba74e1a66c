/// How a piece of text looks: drawn through Pango so Hangul, kana, han and Latin all come from
/// one family with proper fallback, never as empty boxes.
public struct TextStyle: Equatable, Sendable {
    public enum Weight: Equatable, Sendable {
        case regular, medium, bold
    }

    /// A Pango family list; the first family that has a glyph wins.
    public var family: String
    /// In points at 96 dpi, as CSS and matplotlib mean it: 10 pt is 13.3 units tall at scale 1.
    public var size: Double
    public var weight: Weight
    public var colour: Colour

    public init(family: String = Theme.fontFamily, size: Double, weight: Weight = .regular,
                colour: Colour = Theme.ink) {
        self.family = family
        self.size = size
        self.weight = weight
        self.colour = colour
    }

    public func with(size: Double? = nil, weight: Weight? = nil, colour: Colour? = nil) -> TextStyle {
        TextStyle(family: family, size: size ?? self.size, weight: weight ?? self.weight, colour: colour ?? self.colour)
    }
}
