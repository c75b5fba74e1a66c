import CCairo

/// Filled and stroked shapes. Lines that should look crisp (axes, grid) go through `crisp`, which
/// puts an odd-pixel-wide line on a pixel centre so it is not smeared over two pixel rows.
extension Canvas {
    func setSource(_ c: Colour) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }

    func setStroke(_ colour: Colour, width: Double, dash: [Double]?) {
        setSource(colour)
        cairo_set_line_width(context, width)
        if let dash, !dash.isEmpty {
            cairo_set_dash(context, dash, Int32(dash.count), 0)
        } else {
            cairo_set_dash(context, nil, 0, 0)
        }
    }

    /// `v` moved to the nearest position where a `lineWidth`-wide line covers whole device pixels.
    public func crisp(_ v: Double, lineWidth: Double = 1) -> Double {
        let device = v * scale
        let widthPixels = (lineWidth * scale).rounded()
        let snapped = Int(widthPixels) % 2 == 1 ? device.rounded(.down) + 0.5 : device.rounded()
        return snapped / scale
    }

    public func fill(_ rect: Rect, _ colour: Colour) {
        setSource(colour)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    public func fillRoundedRect(_ rect: Rect, radius: Double, _ colour: Colour) {
        roundedRectPath(rect, radius: radius)
        setSource(colour)
        cairo_fill(context)
    }

    /// Strokes the outline of `rect` inside its bounds (the stroke never spills past the rectangle).
    public func stroke(_ rect: Rect, _ colour: Colour, width: Double = 1, dash: [Double]? = nil) {
        let r = rect.insetBy(dx: width / 2, dy: width / 2)
        setStroke(colour, width: width, dash: dash)
        cairo_rectangle(context, r.x, r.y, r.width, r.height)
        cairo_stroke(context)
    }

    public func strokeRoundedRect(_ rect: Rect, radius: Double, _ colour: Colour, width: Double = 1) {
        roundedRectPath(rect.insetBy(dx: width / 2, dy: width / 2), radius: radius)
        setStroke(colour, width: width, dash: nil)
        cairo_stroke(context)
    }

    private func roundedRectPath(_ r: Rect, radius: Double) {
        let rad = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(context)
        cairo_arc(context, r.maxX - rad, r.minY + rad, rad, -Double.pi / 2, 0)
        cairo_arc(context, r.maxX - rad, r.maxY - rad, rad, 0, Double.pi / 2)
        cairo_arc(context, r.minX + rad, r.maxY - rad, rad, Double.pi / 2, Double.pi)
        cairo_arc(context, r.minX + rad, r.minY + rad, rad, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
    }

    public func line(from a: Point, to b: Point, _ colour: Colour, width: Double = 1, dash: [Double]? = nil) {
        polyline([a, b], colour, width: width, dash: dash)
    }

    /// A connected line through `points` with round joins (how a data series is drawn).
    public func polyline(_ points: [Point], _ colour: Colour, width: Double = 1.5, dash: [Double]? = nil) {
        guard let first = points.first, points.count > 1 else { return }
        setStroke(colour, width: width, dash: dash)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, dash == nil ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_stroke(context)
    }

    public func fillCircle(center: Point, radius: Double, _ colour: Colour) {
        setSource(colour)
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    /// Fills the polygon through `points` (closed automatically).
    public func fillPolygon(_ points: [Point], _ colour: Colour) {
        guard let first = points.first, points.count > 2 else { return }
        setSource(colour)
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_close_path(context)
        cairo_fill(context)
    }
}
