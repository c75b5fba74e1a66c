import Foundation
import Rendering

/// Silhouettes and motifs the painters place as focal images. Each is drawn from a few curves so
/// that it reads as "a person", "a city", "a flower" at thumbnail size, like cover artwork does.
extension Canvas {
    /// A standing figure in a long coat, feet at (`x`, `footY`), `tall` pixels high.
    func standingFigure(_ x: Double, _ footY: Double, tall: Double, _ colour: Colour) {
        let u = tall / 8
        fillCircle(center: Point(x, footY - tall + u * 0.55), radius: u * 0.55, colour)          // head
        var coat = Path()
        coat.move(to: Point(x - u * 0.35, footY - tall + u * 1.05))
        coat.curve(Point(x - u * 1.3, footY - tall + u * 1.4), Point(x - u * 1.2, footY - u * 3),
                   to: Point(x - u * 1.35, footY - u * 1.2))
        for p in [Point(x - u * 0.5, footY - u * 1.2), Point(x - u * 0.45, footY), Point(x - u * 0.1, footY),
                  Point(x, footY - u * 1.2), Point(x + u * 0.1, footY), Point(x + u * 0.45, footY),
                  Point(x + u * 0.5, footY - u * 1.2), Point(x + u * 1.35, footY - u * 1.2)] {
            coat.line(to: p)
        }
        coat.curve(Point(x + u * 1.2, footY - u * 3), Point(x + u * 1.3, footY - tall + u * 1.4),
                   to: Point(x + u * 0.35, footY - tall + u * 1.05))
        coat.close()
        fill(coat, colour)
    }

    /// Head and shoulders seen from the side, facing right (`facing` 1) or left (-1), the chin at
    /// about (`cx`, `cy`); `scale` is the head's height.
    func bust(_ cx: Double, _ cy: Double, scale s: Double, facing: Double, _ colour: Colour) {
        fill(.ellipse(center: Point(cx, cy - s * 0.45), rx: s * 0.36, ry: s * 0.48, angle: facing * 0.15), colour)   // head
        fill(.ellipse(center: Point(cx - facing * s * 0.12, cy - s * 0.55), rx: s * 0.42, ry: s * 0.5,
                      angle: -facing * 0.3), colour)                                                           // hair
        var shoulders = Path()
        shoulders.move(to: Point(cx - s * 0.12, cy - s * 0.1))
        shoulders.line(to: Point(cx + s * 0.12, cy - s * 0.1))
        shoulders.curve(Point(cx + s * 0.15, cy + s * 0.25), Point(cx + s * 0.9, cy + s * 0.3), to: Point(cx + s * 1.1, cy + s * 1.3))
        shoulders.line(to: Point(cx - s * 1.1, cy + s * 1.3))
        shoulders.curve(Point(cx - s * 0.9, cy + s * 0.3), Point(cx - s * 0.15, cy + s * 0.25), to: Point(cx - s * 0.12, cy - s * 0.1))
        shoulders.close()
        fill(shoulders, colour)
    }

    /// A row of buildings along the bottom edge, tops between `minTop` and `maxTop` (y values).
    func skyline(baseY: Double, minTop: Double, maxTop: Double, _ colour: Colour, _ r: inout CoverRandom) {
        let width = size.width, height = size.height
        var x = -5.0
        while x < width + 5 {
            let w = r.uniform(0.05, 0.13) * width
            let top = r.uniform(minTop, maxTop)
            fill(Rect(x, top, w + 1, baseY - top), colour)
            if r.chance(0.3) { fill(Rect(x + w * 0.4, top - w * 0.5, w * 0.15, w * 0.5), colour) }   // antenna
            x += w
        }
        fill(Rect(0, baseY, width, height - baseY), colour)
    }

    /// A heart centred at (`cx`, `cy`), `size` wide.
    func heart(_ cx: Double, _ cy: Double, size s: Double, _ colour: Colour) {
        var heart = Path()
        heart.move(to: Point(cx, cy + s * 0.35))
        heart.curve(Point(cx - s * 0.7, cy - s * 0.1), Point(cx - s * 0.35, cy - s * 0.55), to: Point(cx, cy - s * 0.2))
        heart.curve(Point(cx + s * 0.35, cy - s * 0.55), Point(cx + s * 0.7, cy - s * 0.1), to: Point(cx, cy + s * 0.35))
        heart.close()
        fill(heart, colour)
    }

    /// A flower seen from above: `petals` ellipses around a centre.
    func flower(_ cx: Double, _ cy: Double, radius: Double, petals: Int, _ petal: Colour, _ centre: Colour) {
        for i in 0..<petals {
            let a = Double(i) / Double(petals) * 2 * .pi
            fill(.ellipse(center: Point(cx + cos(a) * radius * 0.5, cy + sin(a) * radius * 0.5), rx: radius * 0.5,
                          ry: radius * 0.25, angle: a), petal)
        }
        fillCircle(center: Point(cx, cy), radius: radius * 0.22, centre)
    }

    /// A leaf on a thin curved stem, the stem's foot at (`x`, `y`).
    func leafSprig(_ x: Double, _ y: Double, size s: Double, _ colour: Colour) {
        var stem = Path()
        stem.move(to: Point(x, y))
        stem.curve(Point(x - s * 0.1, y - s * 0.4), Point(x + s * 0.1, y - s * 0.7), to: Point(x + s * 0.05, y - s))
        stroke(stem, colour, width: max(1, s * 0.015))
        for (t, side) in [(0.35, -1.0), (0.55, 1.0), (0.75, -1.0), (0.92, 1.0)] {
            let ly = y - s * t
            fill(.ellipse(center: Point(x + side * s * 0.09, ly), rx: s * 0.1, ry: s * 0.04, angle: side * -0.5), colour)
        }
    }

    /// A round animal face (bear, cat or rabbit by `kind` 0, 1, 2) centred at (`cx`, `cy`).
    func animal(_ cx: Double, _ cy: Double, radius rr: Double, kind: Int, fur: Colour, detail: Colour) {
        switch kind {
        case 0:
            fillCircle(center: Point(cx - rr * 0.75, cy - rr * 0.75), radius: rr * 0.35, fur)
            fillCircle(center: Point(cx + rr * 0.75, cy - rr * 0.75), radius: rr * 0.35, fur)
        case 1:
            fillPolygon([Point(cx - rr * 0.9, cy - rr * 0.3), Point(cx - rr * 0.7, cy - rr * 1.25), Point(cx - rr * 0.2, cy - rr * 0.8)], fur)
            fillPolygon([Point(cx + rr * 0.9, cy - rr * 0.3), Point(cx + rr * 0.7, cy - rr * 1.25), Point(cx + rr * 0.2, cy - rr * 0.8)], fur)
        default:
            fill(.ellipse(center: Point(cx - rr * 0.4, cy - rr * 1.2), rx: rr * 0.2, ry: rr * 0.6, angle: -0.15), fur)
            fill(.ellipse(center: Point(cx + rr * 0.4, cy - rr * 1.2), rx: rr * 0.2, ry: rr * 0.6, angle: 0.15), fur)
        }
        fillCircle(center: Point(cx, cy), radius: rr, fur)
        fill(.ellipse(center: Point(cx, cy + rr * 0.35), rx: rr * 0.42, ry: rr * 0.3), Colour.white.withAlpha(0.85))
        fillCircle(center: Point(cx - rr * 0.35, cy - rr * 0.15), radius: rr * 0.1, detail)
        fillCircle(center: Point(cx + rr * 0.35, cy - rr * 0.15), radius: rr * 0.1, detail)
        fillCircle(center: Point(cx, cy + rr * 0.25), radius: rr * 0.09, detail)
        stroke(.arc(center: Point(cx, cy + rr * 0.3), radius: rr * 0.22, from: 0.3, to: .pi - 0.3), detail,
               width: max(1.5, rr * 0.05))
    }

    /// A soft disc: `colour` at its alpha in the centre fading to transparent at `radius` — the
    /// glow around planets, lamps and bokeh.
    func glow(_ cx: Double, _ cy: Double, _ radius: Double, _ colour: Colour) {
        let centre = Point(cx, cy)
        fill(.circle(center: centre, radius: radius),
             .radial(center: centre, radius: radius,
                     stops: [GradientStop(0, colour), GradientStop(0.45, colour.withAlpha(colour.alpha * 0.45)),
                             GradientStop(1, colour.withAlpha(0))]))
    }

    /// A straight line `width` wide with square ends.
    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ colour: Colour, width: Double) {
        stroke(.line(from: Point(x0, y0), to: Point(x1, y1)), colour, width: width)
    }
}

/// The painters place everything by coordinates they compute; unlabelled points and rectangles
/// keep those lines short.
extension Point {
    init(_ x: Double, _ y: Double) { self.init(x: x, y: y) }
}

extension Rect {
    init(_ x: Double, _ y: Double, _ width: Double, _ height: Double) { self.init(x: x, y: y, width: width, height: height) }
}
