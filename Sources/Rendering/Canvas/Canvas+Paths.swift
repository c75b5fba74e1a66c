import CCairo

/// Filling and stroking `Path` values with any `Paint`.
extension Canvas {
    public func fill(_ path: Path, _ colour: Colour) { fill(path, .solid(colour)) }

    public func fill(_ path: Path, _ paint: Paint) {
        append(path)
        switch paint {
        case .solid(let colour):
            setSource(colour)
            cairo_fill(context)
        case .linear(let from, let to, let stops):
            fill(with: cairo_pattern_create_linear(from.x, from.y, to.x, to.y), stops)
        case .radial(let center, let radius, let stops):
            fill(with: cairo_pattern_create_radial(center.x, center.y, 0, center.x, center.y, radius), stops)
        }
    }

    /// Strokes `path` `width` units wide with square-cut ends and mitred corners (a drawn line, not
    /// a data series: see `polyline` for round ones).
    public func stroke(_ path: Path, _ colour: Colour, width: Double) {
        append(path)
        setStroke(colour, width: width, dash: nil)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_MITER)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        cairo_stroke(context)
    }

    private func fill(with pattern: OpaquePointer?, _ stops: [GradientStop]) {
        defer { cairo_pattern_destroy(pattern) }
        for stop in stops {
            let c = stop.colour
            cairo_pattern_add_color_stop_rgba(pattern, stop.offset, c.red, c.green, c.blue, c.alpha)
        }
        cairo_set_source(context, pattern)
        cairo_fill(context)
    }

    /// Adds `path` to Cairo's current path in the current user space.
    private func append(_ path: Path) {
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(context, p.x, p.y)
            case .line(let p): cairo_line_to(context, p.x, p.y)
            case .curve(let c1, let c2, let p): cairo_curve_to(context, c1.x, c1.y, c2.x, c2.y, p.x, p.y)
            case .close: cairo_close_path(context)
            case .rect(let r): cairo_rectangle(context, r.x, r.y, r.width, r.height)
            case .arc(let center, let radius, let from, let to):
                cairo_new_sub_path(context)
                cairo_arc(context, center.x, center.y, radius, from, to)
            case .ellipse(let center, let rx, let ry, let angle):
                guard rx > 0, ry > 0 else { continue }   // a flat ellipse has no inside (and a singular transform)
                // Cairo draws ellipses as a unit circle under a scaled transform; the path keeps
                // the device coordinates it was built with after the transform is restored.
                cairo_save(context)
                cairo_translate(context, center.x, center.y)
                cairo_rotate(context, angle)
                cairo_scale(context, rx, ry)
                cairo_new_sub_path(context)
                cairo_arc(context, 0, 0, 1, 0, 2 * .pi)
                cairo_restore(context)
            }
        }
    }
}
