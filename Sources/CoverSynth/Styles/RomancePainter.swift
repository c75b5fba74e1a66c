import Rendering

/// Romance: a warm pastel gradient with soft bokeh, one central figure (a woman, a couple, a
/// rose, a heart) and a script or italic title.
enum RomancePainter: StylePainter {
    static func paint(_ c: Canvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        // Rose, blush, coral, peach: saturated enough never to pass for literary's pale paper.
        let hue = r.pick([340.0, 350, 10, 320, 0, 22])
        let top = Colour(hue: hue, saturation: r.uniform(0.65, 0.9), lightness: r.uniform(0.8, 0.87))
        let bottom = Colour(hue: hue + r.uniform(-20, 20), saturation: r.uniform(0.6, 0.85), lightness: r.uniform(0.68, 0.78))
        c.fill(.rect(Rect(0, 0, w, h)),
               .linear(from: Point(0, 0), to: Point(w * r.uniform(-0.3, 0.3), h), stops: [GradientStop(0, top), GradientStop(1, bottom)]))
        for _ in 0..<r.int(6...12) {
            c.glow(r.uniform(0, w), r.uniform(0, h), r.uniform(0.05, 0.16) * w, Colour.white.withAlpha(r.uniform(0.3, 0.6)))
        }
        let deep = Colour(hue: hue + r.uniform(-10, 10), saturation: r.uniform(0.45, 0.7), lightness: 0.22)
        let figureColour = bottom.mixed(with: deep, look.contrast)
        let ink = bottom.mixed(with: Colour(hue: hue, saturation: 0.6, lightness: 0.18), look.contrast)
        let accent = Colour(hue: hue + 10, saturation: 0.7, lightness: 0.55)

        let titleAtTop = r.chance(0.6)
        for i in 0..<look.focalCount {
            let scale = look.focalCount == 1 ? 1.0 : r.uniform(0.45, 0.7)
            let cx = look.focalCount == 1 ? w * r.uniform(0.42, 0.58) : w * r.uniform(0.2, 0.8)
            let cy = h * (titleAtTop ? r.uniform(0.6, 0.68) : r.uniform(0.4, 0.48)) + Double(i) * h * 0.05
            c.glow(cx, cy, w * 0.45 * scale, Colour.white.withAlpha(0.5))
            switch r.int(0...3) {
            case 0:
                c.bust(cx, cy, scale: h * 0.17 * scale, facing: r.chance(0.5) ? 1 : -1, figureColour)
            case 1:
                let s = h * 0.15 * scale
                c.bust(cx - s * 0.45, cy, scale: s, facing: 1, figureColour)
                c.bust(cx + s * 0.45, cy + s * 0.05, scale: s * 0.95, facing: -1, figureColour.mixed(with: .black, 0.15))
            case 2:
                c.flower(cx, cy, radius: w * 0.28 * scale, petals: r.int(5...8), figureColour, accent.mixed(with: .white, 0.3))
            default:
                c.heart(cx, cy, size: w * 0.55 * scale, figureColour)
            }
        }
        Clutter.under(c, count: look.clutter, ink: ink, accent: accent, ground: bottom, contrast: look.contrast, &r)

        let script = d.language == .english && r.chance(0.7)
        var type = Lettering(latinFamily: script ? "Z003" : r.pick(["P052", "C059"]), koreanFamily: "Noto Serif CJK KR",
                             weight: script ? 500 : 400, italic: d.language == .english)
        type.lineSpacing = 0.9
        let title = balancedLines(d.title, r.int(1...2))
        let size = c.fittedLetteringSize(title, type, desired: h * 0.12 * look.titleScale, maxWidth: w * 0.84,
                                         maxHeight: h * 0.3 * look.titleScale)
        let block = c.measureLettering(title, type, size: size)
        let y = titleAtTop ? h * r.uniform(0.06, 0.12) : h * 0.88 - block.height
        c.drawLettering(title, type, size: size, x: w / 2, y: y, colour: ink, effect: .shadow(.white))

        var byline = Lettering(latinFamily: "C059", koreanFamily: "Noto Serif CJK KR", letterSpacing: 0.15)
        byline.weight = 400
        let authorText = d.language == .english ? d.author.uppercased() : d.author
        c.drawLettering(authorText, byline, size: h * r.uniform(0.024, 0.032), x: w / 2,
                        y: titleAtTop ? h * 0.92 : h * 0.05, colour: ink)
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: accent, ground: bottom, contrast: look.contrast, &r)
    }
}
