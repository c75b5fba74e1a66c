import Rendering

/// One genre's way of painting a cover: background, focal image, title and author, clutter.
/// Painters draw only through Rendering's `Canvas` and take every choice from the random stream,
/// so a cover is a pure function of its design.
protocol StylePainter {
    static func paint(_ canvas: Canvas, _ design: CoverDesign, _ look: CoverLook, _ random: inout CoverRandom)
}

extension CoverStyle {
    var painter: any StylePainter.Type {
        switch self {
        case .thriller: ThrillerPainter.self
        case .romance: RomancePainter.self
        case .scienceFiction: ScienceFictionPainter.self
        case .literary: LiteraryPainter.self
        case .children: ChildrenPainter.self
        }
    }
}
