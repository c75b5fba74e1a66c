import CCairo

/// What a canvas really drew, in canvas units, for checks that must not trust a figure's own
/// layout arithmetic: every text's box as Pango measured it at draw time (after the canvas's
/// transform, so rotated and scaled text lands where it shows), and every plot frame the axes drew.
///
/// Attach one with `Canvas.log` before drawing; drawing without a log records nothing and costs
/// nothing.
public final class DrawingLog {
    /// One `drawText` call.
    public struct Text: Sendable {
        public var string: String
        /// Pango's ink box (the pixels the glyphs cover), axis-aligned, in canvas units.
        public var ink: Rect
        /// The ink box's four corners as drawn (a rotated label's box is turned with it).
        public var inkCorners: [Point]
        /// Pango's logical box (advance widths × line height), axis-aligned, in canvas units.
        public var logical: Rect
        /// Width the text would take without a `maxWidth`, unrotated.
        public var naturalWidth: Double
        /// Width Pango laid it out at, unrotated (less than `naturalWidth` when ellipsized or wrapped).
        public var drawnWidth: Double
        public var ellipsized: Bool
        /// Radians, as passed to `drawText` (0 = upright).
        public var rotation: Double
    }

    public private(set) var texts: [Text] = []
    /// Plot frames (the rectangle inside the axes), in canvas units.
    public private(set) var plots: [Rect] = []

    public init() {}

    func record(_ text: Text) { texts.append(text) }
    func recordPlot(_ rect: Rect) { plots.append(rect) }
}

extension Canvas {
    /// `rect` in the current user space, as the axis-aligned box it covers in canvas units
    /// (device pixels divided by the scale), whatever translation, scaling or rotation is in force.
    func canvasRect(_ rect: Rect) -> Rect {
        let corners = canvasCorners(rect)
        let xs = corners.map(\.x), ys = corners.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }

    /// The corners of `rect` (user space) in canvas units, clockwise from the top-left.
    func canvasCorners(_ rect: Rect) -> [Point] {
        [(rect.minX, rect.minY), (rect.maxX, rect.minY), (rect.maxX, rect.maxY), (rect.minX, rect.maxY)].map { cx, cy in
            var dx = cx, dy = cy
            cairo_user_to_device(context, &dx, &dy)
            return Point(x: dx / scale, y: dy / scale)
        }
    }
}
