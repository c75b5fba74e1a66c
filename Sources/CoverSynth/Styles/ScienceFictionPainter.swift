import Foundation

/// Science fiction: a dark gradient with stars, glowing shapes (a planet, a portal ring, a neon
/// horizon) and a wide-spaced upper-case sans title with a neon halo.
enum ScienceFictionPainter: StylePainter {
    static func paint(_ c: CoverCanvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.width, h = c.height
        let hue = r.pick([230.0, 265, 190, 245, 210])
        let space = Colour.hsl(hue, 0.6, 0.03 + (1 - look.contrast) * 0.12)
        let nebula = Colour.hsl(hue + r.uniform(-20, 30), 0.7, r.uniform(0.2, 0.3))
        c.linearGradient(0, 0, w, h, from: (0, 0), to: (0, h),
                         stops: r.chance(0.5) ? [(0, space), (1, nebula)] : [(0, nebula), (0.6, space), (1, space)])
        for _ in 0..<r.int(60...140) {
            c.circle(r.uniform(0, w), r.uniform(0, h), r.uniform(0.4, 1.4), .white, alpha: r.uniform(0.3, 1) * look.contrast)
        }
        let neon = Colour.hsl(r.pick([185.0, 310, 25, 140, 50]), 1, 0.6)
        let ink = space.mixed(with: .white, 0.2 + 0.8 * look.contrast)

        let titleAtTop = r.chance(0.6)
        for _ in 0..<look.focalCount {
            let scale = look.focalCount == 1 ? 1.0 : r.uniform(0.35, 0.6)
            let cx = w * r.uniform(0.25, 0.75)
            let cy = h * (titleAtTop ? r.uniform(0.55, 0.7) : r.uniform(0.3, 0.45))
            switch r.int(0...3) {
            case 0:   // a planet with a halo and maybe a ring
                let radius = w * r.uniform(0.22, 0.34) * scale
                let body = Colour.hsl(hue + r.uniform(90, 200), 0.6, 0.45)
                c.glow(cx, cy, radius * 1.8, neon, alpha: 0.6 * look.contrast)
                c.circle(cx, cy, radius, body.mixed(with: space, 1 - look.contrast))
                c.circle(cx - radius * 0.3, cy - radius * 0.3, radius * 0.75, .white, alpha: 0.12)
                if r.chance(0.5) {
                    c.ellipse(cx, cy, radius * 1.7, radius * 0.3, angle: -0.3, neon, alpha: 0.35)
                    c.ellipse(cx, cy, radius * 1.45, radius * 0.2, angle: -0.3, space, alpha: 0.8)
                }
            case 1:   // a glowing portal ring
                let radius = w * 0.3 * scale
                c.glow(cx, cy, radius * 1.6, neon, alpha: 0.5 * look.contrast)
                for (width, alpha) in [(14.0, 0.15), (7.0, 0.35), (2.5, 1.0)] {
                    c.arcPath(cx, cy, radius)
                    c.stroke(neon, width: width * scale, alpha: alpha * look.contrast)
                }
            case 2:   // a neon horizon grid under a sun
                let horizon = h * (titleAtTop ? 0.7 : 0.5)
                c.glow(w / 2, horizon, w * 0.45 * scale, neon, alpha: 0.7 * look.contrast)
                c.circle(w / 2, horizon, w * 0.22 * scale, neon.mixed(with: .white, 0.3), alpha: look.contrast)
                c.rect(0, horizon, w, h - horizon, space)
                for i in 0...8 {
                    let t = Double(i) / 8
                    c.line(w / 2 + (t - 0.5) * w * 0.3, horizon, w / 2 + (t - 0.5) * w * 2.4, h, neon, width: 1.2, alpha: 0.7 * look.contrast)
                    let y = horizon + (h - horizon) * pow(t, 1.8)
                    c.line(0, y, w, y, neon, width: 1.2, alpha: 0.6 * look.contrast)
                }
            default:  // a ship with a glowing engine
                let s = w * 0.25 * scale
                c.glow(cx, cy + s * 0.9, s * 0.9, neon, alpha: 0.8 * look.contrast)
                c.polygon([(cx, cy - s), (cx + s * 0.45, cy + s * 0.8), (cx, cy + s * 0.55), (cx - s * 0.45, cy + s * 0.8)],
                          ink.mixed(with: space, 0.3))
            }
        }
        Clutter.under(c, count: look.clutter, ink: ink, accent: neon, ground: space, contrast: look.contrast, &r)

        var type = TextStyle(latinFamily: r.pick(["URW Gothic", "DejaVu Sans"]), koreanFamily: "Noto Sans CJK KR", weight: 600)
        type.letterSpacing = d.language == .english ? r.uniform(0.12, 0.3) : r.uniform(0.05, 0.15)
        let title = balancedLines(d.language == .english ? d.title.uppercased() : d.title, r.int(1...2))
        let size = c.fittedSize(title, type, desired: h * 0.085 * look.titleScale, maxWidth: w * 0.86,
                                maxHeight: h * 0.26 * look.titleScale)
        let block = c.measure(title, type, size: size)
        let y = titleAtTop ? h * r.uniform(0.07, 0.12) : h * 0.9 - block.h
        c.draw(title, type, size: size, x: w / 2, y: y, colour: ink, effect: .glow(neon))

        var byline = type
        byline.weight = 400
        byline.letterSpacing = 0.3
        c.draw(d.language == .english ? d.author.uppercased() : d.author, byline, size: h * 0.026, x: w / 2,
               y: titleAtTop ? h * 0.93 : h * 0.05, colour: ink.mixed(with: neon, 0.4))
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: neon, ground: space, contrast: look.contrast, &r)
    }
}
