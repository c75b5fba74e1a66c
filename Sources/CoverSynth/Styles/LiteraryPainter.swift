import Rendering

/// Literary fiction: a light, quiet ground, one small motif, lots of space and serif type.
enum LiteraryPainter: StylePainter {
    static func paint(_ c: Canvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        // Cream, sage, stone, pale blue-grey: never pink, which belongs to romance.
        let hue = r.pick([45.0, 95, 205, 60, 180])
        let paper = Colour(hue: hue, saturation: r.uniform(0.08, 0.25), lightness: 0.955 - (1 - look.contrast) * 0.12)
        c.fill(Rect(0, 0, w, h), paper)
        let inkTarget = Colour(hue: hue + r.uniform(150, 210), saturation: r.uniform(0.1, 0.3), lightness: 0.13)
        let ink = paper.mixed(with: inkTarget, 0.35 + 0.65 * look.contrast)
        let accent = paper.mixed(with: Colour(hue: r.pick([200.0, 140, 35, 25, 170]), saturation: r.uniform(0.4, 0.7), lightness: 0.45),
                                 0.3 + 0.7 * look.contrast)

        let left = r.chance(0.45)
        for i in 0..<look.focalCount {
            let scale = look.focalCount == 1 ? 1.0 : r.uniform(0.5, 0.8)
            let cx = look.focalCount == 1 ? w * (left ? r.uniform(0.55, 0.7) : 0.5) : w * r.uniform(0.2, 0.8)
            let cy = h * r.uniform(0.5, 0.65) + Double(i) * h * 0.04
            let s = w * r.uniform(0.16, 0.26) * scale * (0.7 + 0.6 * look.contrast)
            switch r.int(0...3) {
            case 0: c.leafSprig(cx, cy + s, size: s * 2, accent)
            case 1: c.fillCircle(center: Point(cx, cy), radius: s * 0.7, accent)
            case 2:
                c.line(cx - s * 1.5, cy, cx + s * 1.5, cy, ink, width: 1.2)
                c.fillPolygon([Point(cx - s * 0.3, cy - s * 0.5), Point(cx + s * 0.1, cy - s * 0.25),
                               Point(cx + s * 0.45, cy - s * 0.55), Point(cx + s * 0.12, cy - s * 0.12)], accent)
            default:
                c.stroke(.rect(Rect(cx - s * 0.5, cy - s * 0.75, s, s * 1.5)), ink, width: 1.5)
                c.fill(Rect(cx - s * 0.5, cy, s, s * 0.75), accent.withAlpha(0.8))
            }
        }
        Clutter.under(c, count: look.clutter, ink: ink, accent: accent, ground: paper, contrast: look.contrast, &r)

        let italic = d.language == .english && r.chance(0.35)
        // Strong designs set the title heavier: still quiet serif type, but it holds the page.
        var type = Lettering(latinFamily: r.pick(["C059", "P052", "DejaVu Serif"]), koreanFamily: "Noto Serif CJK KR",
                             weight: look.contrast > 0.7 ? 700 : 400, italic: italic)
        type.align = left ? .leading : .center
        type.lineSpacing = 1.1
        let title = balancedLines(d.title, r.int(1...3))
        let size = c.fittedLetteringSize(title, type, desired: h * 0.085 * look.titleScale, maxWidth: w * 0.78,
                                         maxHeight: h * 0.28 * look.titleScale)
        let x = left ? w * 0.1 : w / 2
        let top = h * r.uniform(0.1, 0.2)
        let block = c.drawLettering(title, type, size: size, x: x, y: top, colour: ink)
        // Hairline rules above and below the title: the quiet typographic frame of literary lists.
        let ruleWidth = max(block.width, w * 0.3), ruleLeft = left ? x : w / 2 - ruleWidth / 2
        c.fill(Rect(ruleLeft, top - h * 0.025, ruleWidth, 1.2), ink)
        c.fill(Rect(ruleLeft, top + block.height + h * 0.02, ruleWidth, 1.2), ink)

        var byline = type
        byline.italic = false
        byline.weight = 400
        byline.letterSpacing = 0.12
        c.drawLettering(d.author, byline, size: h * r.uniform(0.022, 0.028), x: x, y: h * r.uniform(0.86, 0.9), colour: ink)
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: accent, ground: paper, contrast: look.contrast, &r)
    }
}
