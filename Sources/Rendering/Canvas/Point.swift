/// A position in a figure's logical units (1 unit = 1 pixel at scale 1, 1 point in a PDF), y down.
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
