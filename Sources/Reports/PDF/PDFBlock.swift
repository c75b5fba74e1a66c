import Imaging
import Rendering

/// One piece of the PDF's flow, top to bottom.
enum PDFBlock {
    case heading(String, level: Int)
    case paragraph(String, style: TextStyle)
    case table(PDFTable)
    /// A figure scaled to the text width, never taller than `maxHeight` points.
    case figure(any Figure, maxHeight: Double)
    /// A candidate's cover beside facts (label, value, value style) and its verdict.
    case coverFacts(RGBImage?, facts: [(String, String, TextStyle)])
    /// Starts a new page (unless the page is still empty).
    case pageBreak

    /// Headings stay with what follows them.
    var keepsWithNext: Bool {
        if case .heading = self { return true }
        return false
    }

    static func style(forHeading level: Int) -> TextStyle {
        switch level {
        case 1: PDFStyle.h1
        case 2: PDFStyle.h2
        case 3: PDFStyle.h3
        default: PDFStyle.h4
        }
    }

    static let coverSize = Size(width: 96, height: 144)

    /// Height of the block at `width` (a table: all rows; the layout splits it).
    func height(width: Double, on canvas: Canvas) -> Double {
        switch self {
        case .heading(let text, let level):
            let above: Double = level == 2 ? 4 : 6
            return above + canvas.measure(text, style: PDFBlock.style(forHeading: level), maxWidth: width, overflow: .wrap(maxLines: 3)).height
                + (level == 2 ? 6 : 2)
        case .paragraph(let text, let style):
            return canvas.measure(text, style: style, maxWidth: width, overflow: .wrap(maxLines: 60)).height
        case .table(let table):
            return table.headerHeight(width: width, on: canvas)
                + (0..<table.rows.count).map { table.rowHeight($0, width: width, on: canvas) }.reduce(0, +)
        case .figure(let figure, let maxHeight):
            return PDFBlock.figureFrame(figure, width: width, maxHeight: maxHeight).height
        case .coverFacts(_, let facts):
            let text = facts.map { factHeight($0, width: width, on: canvas) }.reduce(0, +)
            return max(PDFBlock.coverSize.height, text)
        case .pageBreak:
            return 0
        }
    }

    /// Figures are laid out in CSS pixels (96 per inch); on paper one unit is ¾ pt at most, so their
    /// 10.5-unit labels print at the body text's size, and smaller when a wide figure must fit.
    static let figurePointsPerUnit = 0.75

    static func figureFrame(_ figure: any Figure, width: Double, maxHeight: Double) -> Size {
        let scale = min(width / figure.size.width, maxHeight / figure.size.height, figurePointsPerUnit)
        return Size(width: figure.size.width * scale, height: figure.size.height * scale)
    }

    private func factHeight(_ fact: (String, String, TextStyle), width: Double, on canvas: Canvas) -> Double {
        let valueWidth = width - PDFBlock.coverSize.width - 16 - 150
        return max(canvas.measure(fact.0, style: PDFStyle.note, maxWidth: 144, overflow: .wrap(maxLines: 2)).height,
                   canvas.measure(fact.1, style: fact.2, maxWidth: valueWidth, overflow: .wrap(maxLines: 3)).height) + 5
    }

    /// Draws the block with its top-left at `origin`.
    func draw(at origin: Point, width: Double, on canvas: Canvas) {
        switch self {
        case .heading(let text, let level):
            let top = origin.y + (level == 2 ? 4 : 6)
            let h = canvas.drawText(text, style: PDFBlock.style(forHeading: level), at: Point(x: origin.x, y: top),
                                    maxWidth: width, overflow: .wrap(maxLines: 3)).height
            if level == 2 {
                canvas.line(from: Point(x: origin.x, y: top + h + 3), to: Point(x: origin.x + width, y: top + h + 3), Theme.ink, width: 1.2)
            }
        case .paragraph(let text, let style):
            canvas.drawText(text, style: style, at: origin, maxWidth: width, overflow: .wrap(maxLines: 60))
        case .table:
            break   // tables are drawn row by row by the layout
        case .figure(let figure, let maxHeight):
            let size = PDFBlock.figureFrame(figure, width: width, maxHeight: maxHeight)
            figure.draw(on: canvas, in: Rect(x: origin.x, y: origin.y, width: size.width, height: size.height))
        case .coverFacts(let image, let facts):
            let frame = Rect(origin: origin, size: PDFBlock.coverSize)
            canvas.fill(frame, Colour(hex: 0xF3F3F3))
            if let image { canvas.drawImage(image, in: frame.insetBy(dx: 3, dy: 3)) }
            canvas.stroke(frame, Theme.panelBorder, width: 0.5)
            var y = origin.y
            let labelX = frame.maxX + 16, valueX = labelX + 150
            for fact in facts {
                let h = factHeight(fact, width: width, on: canvas)
                canvas.drawText(fact.0, style: PDFStyle.note, at: Point(x: labelX, y: y + 1), maxWidth: 144, overflow: .wrap(maxLines: 2))
                canvas.drawText(fact.1, style: fact.2, at: Point(x: valueX, y: y), maxWidth: origin.x + width - valueX,
                                overflow: .wrap(maxLines: 3))
                y += h
            }
        case .pageBreak:
            break
        }
    }
}
