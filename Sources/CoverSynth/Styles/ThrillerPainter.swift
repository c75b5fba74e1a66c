import Rendering

/// Thriller: a near-black field, one accent colour, a lone figure or a city at night, and a huge
/// condensed upper-case title.
enum ThrillerPainter: StylePainter {
    static func paint(_ c: Canvas, _ d: CoverDesign, _ look: CoverLook, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        let ground = Colour(hue: r.pick([220, 0, 200, 250, 30]), saturation: r.uniform(0.05, 0.3),
                            lightness: 0.04 + (1 - look.contrast) * 0.2)
        let accent = Colour(hue: r.pick([0, 6, 45, 28, 55, 350]), saturation: 0.9, lightness: r.uniform(0.45, 0.55))
        let shade = Colour.black.mixed(with: ground, 1 - look.contrast)
        let ink = ground.mixed(with: r.chance(0.75) ? .white : accent, look.contrast)
        c.fill(.rect(Rect(0, 0, w, h)),
               .linear(from: Point(0, 0), to: Point(0, h),
                       stops: [GradientStop(0, ground), GradientStop(1, ground.mixed(with: .white, r.uniform(0.02, 0.1)))]))

        let titleAtTop = r.chance(0.55)
        let figureBandTop = titleAtTop ? 0.45 : 0.1
        for _ in 0..<look.focalCount {
            let scale = look.focalCount == 1 ? 1.0 : r.uniform(0.4, 0.65)
            switch r.int(0...3) {
            case 0:   // a lone figure under a light
                let x = r.uniform(0.3, 0.7) * w, foot = (figureBandTop + r.uniform(0.35, 0.48)) * h
                c.glow(x, foot - h * 0.2 * scale, h * 0.3 * scale, accent.withAlpha(0.55 * look.contrast))
                c.standingFigure(x, foot, tall: h * 0.3 * scale, shade)
                c.fill(Rect(x - w * 0.01, foot, w * 0.02, h * 0.004), shade)
            case 1:   // a city at night against an accent sky
                let base = (figureBandTop + 0.5) * h
                c.glow(w * r.uniform(0.3, 0.7), base - h * 0.1, w * 0.7 * scale, accent.withAlpha(0.5 * look.contrast))
                c.skyline(baseY: min(base, h), minTop: base - h * 0.22 * scale, maxTop: base - h * 0.08 * scale, shade, &r)
            case 2:   // a slash of colour
                let y = (figureBandTop + r.uniform(0.1, 0.35)) * h
                c.fillPolygon([Point(0, y), Point(w, y - h * 0.12 * scale), Point(w, y - h * 0.09 * scale),
                               Point(0, y + h * 0.035 * scale)], accent.withAlpha(look.contrast))
            default:  // a spotlight disc with a figure in it
                let cx = r.uniform(0.35, 0.65) * w, cy = (figureBandTop + 0.22) * h, radius = w * 0.3 * scale
                c.fillCircle(center: Point(cx, cy), radius: radius, accent.withAlpha(0.35 + 0.6 * look.contrast))
                c.standingFigure(cx, cy + radius * 0.95, tall: radius * 1.6, shade)
            }
        }
        Clutter.under(c, count: look.clutter, ink: ink, accent: accent, ground: ground, contrast: look.contrast, &r)

        var type = Lettering(latinFamily: "Nimbus Sans Narrow", koreanFamily: "Noto Sans CJK KR", weight: 700)
        type.condense = d.language == .korean ? r.uniform(0.72, 0.85) : r.uniform(0.85, 1)
        type.align = r.chance(0.65) ? .center : .leading
        type.lineSpacing = 0.85
        let title = balancedLines(d.language == .english ? d.title.uppercased() : d.title, r.int(1...3))
        let size = c.fittedLetteringSize(title, type, desired: h * 0.2 * look.titleScale, maxWidth: w * 0.86,
                                         maxHeight: h * 0.42 * look.titleScale)
        let block = c.measureLettering(title, type, size: size)
        let x = type.align == .center ? w / 2 : w * 0.07
        let top = titleAtTop ? h * r.uniform(0.05, 0.1) : h * 0.9 - block.height
        c.drawLettering(title, type, size: size, x: x, y: top, colour: ink)

        var byline = type
        byline.condense = 1
        byline.weight = 400
        byline.letterSpacing = 0.2
        let authorSize = h * r.uniform(0.026, 0.034)
        let authorY = titleAtTop ? h * 0.93 : h * 0.05
        c.drawLettering(d.language == .english ? d.author.uppercased() : d.author, byline, size: authorSize, x: x, y: authorY,
                        colour: ground.mixed(with: accent, look.contrast))
        Clutter.over(c, count: look.clutter, language: d.language, ink: ink, accent: accent, ground: ground, contrast: look.contrast, &r)
    }
}
