import Foundation

/// Silhouettes and motifs the painters place as focal images. Each is drawn from a few curves so
/// that it reads as "a person", "a city", "a flower" at thumbnail size, like cover artwork does.
extension CoverCanvas {
    /// A standing figure in a long coat, feet at (`x`, `footY`), `tall` pixels high.
    func standingFigure(_ x: Double, _ footY: Double, tall: Double, _ colour: Colour, alpha: Double = 1) {
        let u = tall / 8
        circle(x, footY - tall + u * 0.55, u * 0.55, colour, alpha: alpha)          // head
        move(x - u * 0.35, footY - tall + u * 1.05)
        curve(x - u * 1.3, footY - tall + u * 1.4, x - u * 1.2, footY - u * 3, x - u * 1.35, footY - u * 1.2)
        lineTo(x - u * 0.5, footY - u * 1.2)
        lineTo(x - u * 0.45, footY)
        lineTo(x - u * 0.1, footY)
        lineTo(x, footY - u * 1.2)
        lineTo(x + u * 0.1, footY)
        lineTo(x + u * 0.45, footY)
        lineTo(x + u * 0.5, footY - u * 1.2)
        lineTo(x + u * 1.35, footY - u * 1.2)
        curve(x + u * 1.2, footY - u * 3, x + u * 1.3, footY - tall + u * 1.4, x + u * 0.35, footY - tall + u * 1.05)
        closePath()
        fill(colour, alpha: alpha)
    }

    /// Head and shoulders seen from the side, facing right (`facing` 1) or left (-1), the chin at
    /// about (`cx`, `cy`); `scale` is the head's height.
    func bust(_ cx: Double, _ cy: Double, scale s: Double, facing: Double, _ colour: Colour, alpha: Double = 1) {
        ellipse(cx, cy - s * 0.45, s * 0.36, s * 0.48, angle: facing * 0.15, colour, alpha: alpha)   // head
        ellipse(cx - facing * s * 0.12, cy - s * 0.55, s * 0.42, s * 0.5, angle: -facing * 0.3, colour, alpha: alpha) // hair
        move(cx - s * 0.12, cy - s * 0.1)
        lineTo(cx + s * 0.12, cy - s * 0.1)
        curve(cx + s * 0.15, cy + s * 0.25, cx + s * 0.9, cy + s * 0.3, cx + s * 1.1, cy + s * 1.3)
        lineTo(cx - s * 1.1, cy + s * 1.3)
        curve(cx - s * 0.9, cy + s * 0.3, cx - s * 0.15, cy + s * 0.25, cx - s * 0.12, cy - s * 0.1)
        closePath()
        fill(colour, alpha: alpha)
    }

    /// A row of buildings along the bottom edge, tops between `minTop` and `maxTop` (y values).
    func skyline(baseY: Double, minTop: Double, maxTop: Double, _ colour: Colour, _ r: inout CoverRandom) {
        var x = -5.0
        while x < width + 5 {
            let w = r.uniform(0.05, 0.13) * width
            let top = r.uniform(minTop, maxTop)
            rect(x, top, w + 1, baseY - top, colour)
            if r.chance(0.3) { rect(x + w * 0.4, top - w * 0.5, w * 0.15, w * 0.5, colour) }   // antenna
            x += w
        }
        rect(0, baseY, width, height - baseY, colour)
    }

    /// A heart centred at (`cx`, `cy`), `size` wide.
    func heart(_ cx: Double, _ cy: Double, size s: Double, _ colour: Colour, alpha: Double = 1) {
        move(cx, cy + s * 0.35)
        curve(cx - s * 0.7, cy - s * 0.1, cx - s * 0.35, cy - s * 0.55, cx, cy - s * 0.2)
        curve(cx + s * 0.35, cy - s * 0.55, cx + s * 0.7, cy - s * 0.1, cx, cy + s * 0.35)
        closePath()
        fill(colour, alpha: alpha)
    }

    /// A flower seen from above: `petals` ellipses around a centre.
    func flower(_ cx: Double, _ cy: Double, radius: Double, petals: Int, _ petal: Colour, _ centre: Colour,
                alpha: Double = 1) {
        for i in 0..<petals {
            let a = Double(i) / Double(petals) * 2 * .pi
            ellipse(cx + cos(a) * radius * 0.5, cy + sin(a) * radius * 0.5, radius * 0.5, radius * 0.25,
                    angle: a, petal, alpha: alpha)
        }
        circle(cx, cy, radius * 0.22, centre, alpha: alpha)
    }

    /// A leaf on a thin curved stem, the stem's foot at (`x`, `y`).
    func leafSprig(_ x: Double, _ y: Double, size s: Double, _ colour: Colour) {
        move(x, y)
        curve(x - s * 0.1, y - s * 0.4, x + s * 0.1, y - s * 0.7, x + s * 0.05, y - s)
        stroke(colour, width: max(1, s * 0.015))
        for (t, side) in [(0.35, -1.0), (0.55, 1.0), (0.75, -1.0), (0.92, 1.0)] {
            let ly = y - s * t
            ellipse(x + side * s * 0.09, ly, s * 0.1, s * 0.04, angle: side * -0.5, colour)
        }
    }

    /// A round animal face (bear, cat or rabbit by `kind` 0, 1, 2) centred at (`cx`, `cy`).
    func animal(_ cx: Double, _ cy: Double, radius rr: Double, kind: Int, fur: Colour, detail: Colour) {
        switch kind {
        case 0:
            circle(cx - rr * 0.75, cy - rr * 0.75, rr * 0.35, fur); circle(cx + rr * 0.75, cy - rr * 0.75, rr * 0.35, fur)
        case 1:
            polygon([(cx - rr * 0.9, cy - rr * 0.3), (cx - rr * 0.7, cy - rr * 1.25), (cx - rr * 0.2, cy - rr * 0.8)], fur)
            polygon([(cx + rr * 0.9, cy - rr * 0.3), (cx + rr * 0.7, cy - rr * 1.25), (cx + rr * 0.2, cy - rr * 0.8)], fur)
        default:
            ellipse(cx - rr * 0.4, cy - rr * 1.2, rr * 0.2, rr * 0.6, angle: -0.15, fur)
            ellipse(cx + rr * 0.4, cy - rr * 1.2, rr * 0.2, rr * 0.6, angle: 0.15, fur)
        }
        circle(cx, cy, rr, fur)
        ellipse(cx, cy + rr * 0.35, rr * 0.42, rr * 0.3, .white, alpha: 0.85)
        circle(cx - rr * 0.35, cy - rr * 0.15, rr * 0.1, detail)
        circle(cx + rr * 0.35, cy - rr * 0.15, rr * 0.1, detail)
        circle(cx, cy + rr * 0.25, rr * 0.09, detail)
        arcPath(cx, cy + rr * 0.3, rr * 0.22, from: 0.3, to: .pi - 0.3)
        stroke(detail, width: max(1.5, rr * 0.05))
    }
}
