import Foundation
import Rendering

/// Children's books: a bright flat sky, a sun, rolling hills, clouds, a round animal friend and
/// big rounded letters in many colours with a white outline.
enum ChildrenPainter: StylePainter {
    static func paint(_ c: Canvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        let saturation = 0.45 + 0.5 * look.contrast
        let sky = Colour(hue: r.pick([50.0, 195, 190, 330, 35, 170]), saturation: saturation, lightness: r.uniform(0.62, 0.72))
        c.fill(Rect(0, 0, w, h), sky)
        let sunColour = Colour(hue: r.pick([48.0, 30, 8]), saturation: saturation, lightness: 0.58)
        let sunX = w * r.uniform(0.15, 0.85), sunY = h * r.uniform(0.3, 0.42)
        for i in 0..<12 {
            let a = Double(i) / 12 * 2 * .pi
            c.fillPolygon([Point(sunX + cos(a - 0.12) * w * 0.1, sunY + sin(a - 0.12) * w * 0.1),
                           Point(sunX + cos(a) * w * 0.17, sunY + sin(a) * w * 0.17),
                           Point(sunX + cos(a + 0.12) * w * 0.1, sunY + sin(a + 0.12) * w * 0.1)], sunColour)
        }
        c.fillCircle(center: Point(sunX, sunY), radius: w * 0.09, sunColour)
        for _ in 0..<r.int(1...3) {
            let cx = r.uniform(0, w), cy = h * r.uniform(0.25, 0.45), s = w * r.uniform(0.05, 0.08)
            for dx in [-1.0, 0, 1] {
                c.fillCircle(center: Point(cx + dx * s, cy + (dx == 0 ? -s * 0.4 : 0)), radius: s, Colour.white.withAlpha(0.95))
            }
        }
        let hillHue = r.pick([110.0, 90, 140, 35])
        c.fill(.ellipse(center: Point(w * 0.2, h * 1.02), rx: w * 0.8, ry: h * 0.26), Colour(hue: hillHue, saturation: saturation, lightness: 0.42))
        c.fill(.ellipse(center: Point(w * 0.85, h * 1.05), rx: w * 0.7, ry: h * 0.24),
               Colour(hue: hillHue + 20, saturation: saturation, lightness: 0.5))

        let fur = Colour(hue: r.pick([28.0, 0, 210, 340, 45]), saturation: saturation * 0.8, lightness: r.uniform(0.45, 0.6))
        let detail = fur.mixed(with: .black, 0.4 + 0.5 * look.contrast)
        for i in 0..<look.focalCount {
            let one = look.focalCount == 1
            let radius = w * (one ? r.uniform(0.17, 0.22) : r.uniform(0.08, 0.12))
            let cx = one ? w * r.uniform(0.4, 0.6) : w * (0.15 + 0.7 * Double(i) / Double(max(look.focalCount - 1, 1)))
            let cy = h * r.uniform(0.66, 0.74)
            c.animal(cx, cy, radius: radius, kind: r.int(0...2), fur: fur, detail: detail)
        }
        let ink = sky.mixed(with: Colour(hue: r.pick([220.0, 350, 270]), saturation: 0.8, lightness: 0.25), 0.3 + 0.7 * look.contrast)
        Clutter.under(c, count: look.clutter, ink: ink, accent: fur, ground: sky, contrast: look.contrast, &r)

        var type = Lettering(latinFamily: r.pick(["URW Bookman", "DejaVu Sans"]), koreanFamily: "Noto Sans CJK KR", weight: 700)
        type.lineSpacing = 0.9
        let letters = (0..<5).map { i in
            sky.mixed(with: Colour(hue: Double(i) * 72 + r.uniform(0, 40), saturation: 0.9, lightness: 0.42), 0.4 + 0.6 * look.contrast)
        }
        let title = balancedLines(d.title, r.int(1...2))
        let size = c.fittedLetteringSize(title, type, desired: h * 0.11 * look.titleScale, maxWidth: w * 0.86,
                                         maxHeight: h * 0.26 * look.titleScale)
        c.drawLettering(title, type, size: size, x: w / 2, y: h * r.uniform(0.04, 0.08), colour: ink,
                        effect: .outline(.white, width: size * 0.08 * look.contrast), letterColours: letters)
        c.drawLettering(d.author, type, size: h * 0.03, x: w / 2, y: h * 0.92, colour: .white, effect: .outline(ink, width: 1.5))
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: fur, ground: sky, contrast: look.contrast, &r)
    }
}
