import Foundation
import Rendering

/// Science fiction: a dark gradient with stars, glowing shapes (a planet, a portal ring, a neon
/// horizon) and a wide-spaced upper-case sans title with a neon halo.
enum ScienceFictionPainter: StylePainter {
    static func paint(_ c: Canvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        let hue = r.pick([230.0, 265, 190, 245, 210])
        let space = Colour(hue: hue, saturation: 0.6, lightness: 0.03 + (1 - look.contrast) * 0.12)
        let nebula = Colour(hue: hue + r.uniform(-20, 30), saturation: 0.7, lightness: r.uniform(0.2, 0.3))
        let stops = r.chance(0.5) ? [GradientStop(0, space), GradientStop(1, nebula)]
                                  : [GradientStop(0, nebula), GradientStop(0.6, space), GradientStop(1, space)]
        c.fill(.rect(Rect(0, 0, w, h)), .linear(from: Point(0, 0), to: Point(0, h), stops: stops))
        for _ in 0..<r.int(60...140) {
            c.fillCircle(center: Point(r.uniform(0, w), r.uniform(0, h)), radius: r.uniform(0.4, 1.4),
                         Colour.white.withAlpha(r.uniform(0.3, 1) * look.contrast))
        }
        let neon = Colour(hue: r.pick([185.0, 310, 25, 140, 50]), saturation: 1, lightness: 0.6)
        let ink = space.mixed(with: .white, 0.2 + 0.8 * look.contrast)

        let titleAtTop = r.chance(0.6)
        for _ in 0..<look.focalCount {
            let scale = look.focalCount == 1 ? 1.0 : r.uniform(0.35, 0.6)
            let cx = w * r.uniform(0.25, 0.75)
            let cy = h * (titleAtTop ? r.uniform(0.55, 0.7) : r.uniform(0.3, 0.45))
            switch r.int(0...3) {
            case 0:   // a planet with a halo and maybe a ring
                let radius = w * r.uniform(0.22, 0.34) * scale
                let body = Colour(hue: hue + r.uniform(90, 200), saturation: 0.6, lightness: 0.45)
                c.glow(cx, cy, radius * 1.8, neon.withAlpha(0.6 * look.contrast))
                c.fillCircle(center: Point(cx, cy), radius: radius, body.mixed(with: space, 1 - look.contrast))
                c.fillCircle(center: Point(cx - radius * 0.3, cy - radius * 0.3), radius: radius * 0.75, Colour.white.withAlpha(0.12))
                if r.chance(0.5) {
                    c.fill(.ellipse(center: Point(cx, cy), rx: radius * 1.7, ry: radius * 0.3, angle: -0.3), neon.withAlpha(0.35))
                    c.fill(.ellipse(center: Point(cx, cy), rx: radius * 1.45, ry: radius * 0.2, angle: -0.3), space.withAlpha(0.8))
                }
            case 1:   // a glowing portal ring
                let radius = w * 0.3 * scale
                c.glow(cx, cy, radius * 1.6, neon.withAlpha(0.5 * look.contrast))
                for (width, alpha) in [(14.0, 0.15), (7.0, 0.35), (2.5, 1.0)] {
                    c.stroke(.circle(center: Point(cx, cy), radius: radius), neon.withAlpha(alpha * look.contrast), width: width * scale)
                }
            case 2:   // a neon horizon grid under a sun
                let horizon = h * (titleAtTop ? 0.7 : 0.5)
                c.glow(w / 2, horizon, w * 0.45 * scale, neon.withAlpha(0.7 * look.contrast))
                c.fillCircle(center: Point(w / 2, horizon), radius: w * 0.22 * scale, neon.mixed(with: .white, 0.3).withAlpha(look.contrast))
                c.fill(Rect(0, horizon, w, h - horizon), space)
                for i in 0...8 {
                    let t = Double(i) / 8
                    c.line(w / 2 + (t - 0.5) * w * 0.3, horizon, w / 2 + (t - 0.5) * w * 2.4, h, neon.withAlpha(0.7 * look.contrast), width: 1.2)
                    let y = horizon + (h - horizon) * pow(t, 1.8)
                    c.line(0, y, w, y, neon.withAlpha(0.6 * look.contrast), width: 1.2)
                }
            default:  // a ship with a glowing engine
                let s = w * 0.25 * scale
                c.glow(cx, cy + s * 0.9, s * 0.9, neon.withAlpha(0.8 * look.contrast))
                c.fillPolygon([Point(cx, cy - s), Point(cx + s * 0.45, cy + s * 0.8), Point(cx, cy + s * 0.55), Point(cx - s * 0.45, cy + s * 0.8)],
                              ink.mixed(with: space, 0.3))
            }
        }
        Clutter.under(c, count: look.clutter, ink: ink, accent: neon, ground: space, contrast: look.contrast, &r)

        var type = Lettering(latinFamily: r.pick(["URW Gothic", "DejaVu Sans"]), koreanFamily: "Noto Sans CJK KR", weight: 600)
        type.letterSpacing = d.language == .english ? r.uniform(0.12, 0.3) : r.uniform(0.05, 0.15)
        let title = balancedLines(d.language == .english ? d.title.uppercased() : d.title, r.int(1...2))
        let size = c.fittedLetteringSize(title, type, desired: h * 0.085 * look.titleScale, maxWidth: w * 0.86,
                                         maxHeight: h * 0.26 * look.titleScale)
        let block = c.measureLettering(title, type, size: size)
        let y = titleAtTop ? h * r.uniform(0.07, 0.12) : h * 0.9 - block.height
        c.drawLettering(title, type, size: size, x: w / 2, y: y, colour: ink, effect: .glow(neon))

        var byline = type
        byline.weight = 400
        byline.letterSpacing = 0.3
        c.drawLettering(d.language == .english ? d.author.uppercased() : d.author, byline, size: h * 0.026, x: w / 2,
                        y: titleAtTop ? h * 0.93 : h * 0.05, colour: ink.mixed(with: neon, 0.4))
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: neon, ground: space, contrast: look.contrast, &r)
    }
}
