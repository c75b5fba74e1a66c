/// Which point of a text box sits on the position given to `drawText`.
public struct Anchor: Equatable, Sendable {
    public enum Horizontal: Sendable { case leading, center, trailing }
    public enum Vertical: Sendable { case top, middle, bottom }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let topLeading = Anchor(.leading, .top)
    public static let top = Anchor(.center, .top)
    public static let topTrailing = Anchor(.trailing, .top)
    public static let leading = Anchor(.leading, .middle)
    public static let center = Anchor(.center, .middle)
    public static let trailing = Anchor(.trailing, .middle)
    public static let bottomLeading = Anchor(.leading, .bottom)
    public static let bottom = Anchor(.center, .bottom)
    public static let bottomTrailing = Anchor(.trailing, .bottom)
}
