import Rendering

/// The busy-cover elements: taglines, badges, frames, bands and scattered shapes. "Other" covers
/// get more of them (through `CoverLook.clutter`), which is one of the learnable differences.
enum Clutter {
    /// Elements that sit under the title. The accent is pulled towards the ground by the cover's
    /// contrast: clutter competes for attention without adding punch.
    static func under(_ c: Canvas, count: Int, ink: Colour, accent full: Colour, ground: Colour, contrast: Double,
                      _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        let accent = ground.mixed(with: full, 0.3 + 0.6 * contrast)
        for _ in 0..<count {
            switch r.int(0...3) {
            case 0:   // a frame inset from the edge
                let inset = r.uniform(0.03, 0.07) * w
                let lineWidth = r.uniform(1, 3)
                c.stroke(.rect(Rect(inset, inset, w - 2 * inset, h - 2 * inset)), ink.withAlpha(r.uniform(0.4, 0.8)), width: lineWidth)
            case 1:   // a horizontal band
                let y = r.uniform(0.1, 0.85) * h
                let height = r.uniform(0.03, 0.09) * h
                let colour = r.chance(0.5) ? accent : ink
                c.fill(Rect(0, y, w, height), colour.withAlpha(r.uniform(0.25, 0.6)))
            case 2:   // scattered small shapes
                for _ in 0..<r.int(5...12) {
                    let colour = r.chance(0.5) ? accent : ink
                    if r.chance(0.5) {
                        c.fillCircle(center: Point(r.uniform(0, w), r.uniform(0, h)), radius: r.uniform(0.01, 0.04) * w,
                                     colour.withAlpha(r.uniform(0.3, 0.7)))
                    } else {
                        let s = r.uniform(0.02, 0.06) * w
                        c.fill(Rect(r.uniform(0, w), r.uniform(0, h), s, s), colour.withAlpha(r.uniform(0.3, 0.7)))
                    }
                }
            default:  // stripes down one side
                let x0 = r.chance(0.5) ? r.uniform(0.0, 0.1) * w : r.uniform(0.8, 0.9) * w
                for i in 0..<r.int(2...4) {
                    c.fill(Rect(x0 + Double(i) * 0.03 * w, 0, 0.012 * w, h), accent.withAlpha(0.5))
                }
            }
        }
    }

    /// Small text elements that sit over everything else.
    static func over(_ c: Canvas, count: Int, language: TitleLanguage, ink: Colour, accent full: Colour,
                     ground: Colour, contrast: Double, _ r: inout CoverRandom) {
        let w = c.size.width, h = c.size.height
        let accent = ground.mixed(with: full, 0.3 + 0.6 * contrast)
        let sans = Lettering(latinFamily: "DejaVu Sans", koreanFamily: "Noto Sans CJK KR", weight: 700)
        for _ in 0..<((count + 1) / 2) {
            if r.chance(0.55) {
                let line = r.pick(WordLists.taglines(language))
                var style = sans
                style.weight = r.chance(0.5) ? 400 : 700
                let size = r.uniform(0.018, 0.028) * h
                let y = r.uniform(0.02, 0.94) * h
                let colour = r.chance(0.5) ? ink : accent
                c.drawLettering(line, style, size: size, x: w / 2, y: y, colour: colour.withAlpha(r.uniform(0.7, 1)))
            } else {
                let radius = r.uniform(0.06, 0.1) * w
                let cx = r.uniform(0.15, 0.85) * w, cy = r.uniform(0.12, 0.88) * h
                c.fillCircle(center: Point(cx, cy), radius: radius, accent)
                let label = r.pick(WordLists.badges(language))
                let size = c.fittedLetteringSize(label, sans, desired: radius * 0.7, maxWidth: radius * 1.5, maxHeight: radius)
                c.drawLettering(label, sans, size: size, x: cx, y: cy - size * 0.6, colour: accent.luma > 0.5 ? .black : .white)
            }
        }
    }
}
