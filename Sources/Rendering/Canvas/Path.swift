/// An outline to fill or stroke, as a value: built first, then handed to `Canvas.fill` or
/// `Canvas.stroke`, which replay it into Cairo. Figures that draw silhouettes and motifs (the
/// synthetic covers' people, hearts and leaves) build them from these few elements.
public struct Path: Equatable, Sendable {
    public enum Element: Equatable, Sendable {
        case move(Point)
        case line(Point)
        /// A cubic Bézier from the current point through two control points to `to`.
        case curve(Point, Point, to: Point)
        case close
        /// A closed rectangle, a sub-path of its own.
        case rect(Rect)
        /// A circular arc from angle `from` to `to` (radians, clockwise in y-down space) starting a
        /// new sub-path, so it never joins the previous point with a straight line.
        case arc(center: Point, radius: Double, from: Double, to: Double)
        /// A closed ellipse with radii `rx`, `ry`, turned by `angle` radians about its centre.
        case ellipse(center: Point, rx: Double, ry: Double, angle: Double)
    }

    public private(set) var elements: [Element] = []

    public init() {}

    public init(_ elements: [Element]) { self.elements = elements }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func curve(_ c1: Point, _ c2: Point, to p: Point) { elements.append(.curve(c1, c2, to: p)) }
    public mutating func close() { elements.append(.close) }

    public static func rect(_ r: Rect) -> Path { Path([.rect(r)]) }

    public static func circle(center: Point, radius: Double) -> Path {
        Path([.arc(center: center, radius: radius, from: 0, to: 2 * .pi)])
    }

    public static func arc(center: Point, radius: Double, from: Double, to: Double) -> Path {
        Path([.arc(center: center, radius: radius, from: from, to: to)])
    }

    public static func ellipse(center: Point, rx: Double, ry: Double, angle: Double = 0) -> Path {
        Path([.ellipse(center: center, rx: rx, ry: ry, angle: angle)])
    }

    /// The closed polygon through `points`.
    public static func polygon(_ points: [Point]) -> Path {
        guard let first = points.first else { return Path() }
        return Path([.move(first)] + points.dropFirst().map { .line($0) } + [.close])
    }

    /// One straight segment.
    public static func line(from a: Point, to b: Point) -> Path { Path([.move(a), .line(b)]) }
}

/// How a path is filled: one colour, or a gradient whose stops are (offset 0…1, colour).
public enum Paint: Equatable, Sendable {
    case solid(Colour)
    /// Colour changes along the line from `from` to `to`, constant across it.
    case linear(from: Point, to: Point, stops: [GradientStop])
    /// Colour changes with the distance from `center`, from the first stop there to the last at `radius`.
    case radial(center: Point, radius: Double, stops: [GradientStop])
}

public struct GradientStop: Equatable, Sendable {
    public var offset: Double
    public var colour: Colour

    public init(_ offset: Double, _ colour: Colour) {
        self.offset = offset
        self.colour = colour
    }
}
