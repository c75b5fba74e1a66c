import Foundation

/// Children's books: a bright flat sky, a sun, rolling hills, clouds, a round animal friend and
/// big rounded letters in many colours with a white outline.
enum ChildrenPainter: StylePainter {
    static func paint(_ c: CoverCanvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.width, h = c.height
        let saturation = 0.45 + 0.5 * look.contrast
        let sky = Colour.hsl(r.pick([50.0, 195, 190, 330, 35, 170]), saturation, r.uniform(0.62, 0.72))
        c.rect(0, 0, w, h, sky)
        let sunColour = Colour.hsl(r.pick([48.0, 30, 8]), saturation, 0.58)
        let sunX = w * r.uniform(0.15, 0.85), sunY = h * r.uniform(0.3, 0.42)
        for i in 0..<12 {
            let a = Double(i) / 12 * 2 * .pi
            c.polygon([(sunX + cos(a - 0.12) * w * 0.1, sunY + sin(a - 0.12) * w * 0.1),
                       (sunX + cos(a) * w * 0.17, sunY + sin(a) * w * 0.17),
                       (sunX + cos(a + 0.12) * w * 0.1, sunY + sin(a + 0.12) * w * 0.1)], sunColour)
        }
        c.circle(sunX, sunY, w * 0.09, sunColour)
        for _ in 0..<r.int(1...3) {
            let cx = r.uniform(0, w), cy = h * r.uniform(0.25, 0.45), s = w * r.uniform(0.05, 0.08)
            for dx in [-1.0, 0, 1] { c.circle(cx + dx * s, cy + (dx == 0 ? -s * 0.4 : 0), s, .white, alpha: 0.95) }
        }
        let hillHue = r.pick([110.0, 90, 140, 35])
        c.ellipse(w * 0.2, h * 1.02, w * 0.8, h * 0.26, Colour.hsl(hillHue, saturation, 0.42))
        c.ellipse(w * 0.85, h * 1.05, w * 0.7, h * 0.24, Colour.hsl(hillHue + 20, saturation, 0.5))

        let fur = Colour.hsl(r.pick([28.0, 0, 210, 340, 45]), saturation * 0.8, r.uniform(0.45, 0.6))
        let detail = fur.mixed(with: .black, 0.4 + 0.5 * look.contrast)
        for i in 0..<look.focalCount {
            let one = look.focalCount == 1
            let radius = w * (one ? r.uniform(0.17, 0.22) : r.uniform(0.08, 0.12))
            let cx = one ? w * r.uniform(0.4, 0.6) : w * (0.15 + 0.7 * Double(i) / Double(max(look.focalCount - 1, 1)))
            let cy = h * r.uniform(0.66, 0.74)
            c.animal(cx, cy, radius: radius, kind: r.int(0...2), fur: fur, detail: detail)
        }
        let ink = sky.mixed(with: Colour.hsl(r.pick([220.0, 350, 270]), 0.8, 0.25), 0.3 + 0.7 * look.contrast)
        Clutter.under(c, count: look.clutter, ink: ink, accent: fur, ground: sky, contrast: look.contrast, &r)

        var type = TextStyle(latinFamily: r.pick(["URW Bookman", "DejaVu Sans"]), koreanFamily: "Noto Sans CJK KR", weight: 700)
        type.lineSpacing = 0.9
        let letters = (0..<5).map { i in sky.mixed(with: Colour.hsl(Double(i) * 72 + r.uniform(0, 40), 0.9, 0.42),
                                                 0.4 + 0.6 * look.contrast) }
        let title = balancedLines(d.title, r.int(1...2))
        let size = c.fittedSize(title, type, desired: h * 0.11 * look.titleScale, maxWidth: w * 0.86,
                                maxHeight: h * 0.26 * look.titleScale)
        c.draw(title, type, size: size, x: w / 2, y: h * r.uniform(0.04, 0.08), colour: ink,
               effect: .outline(.white, size * 0.08 * look.contrast), letterColours: letters)
        c.draw(d.author, type, size: h * 0.03, x: w / 2, y: h * 0.92, colour: .white, effect: .outline(ink, 1.5))
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: fur, ground: sky, contrast: look.contrast, &r)
    }
}
