import Rendering

/// A table for the PDF: header, rows of wrapped cells, and the height each row needs, so the layout
/// can split it across pages (repeating the header).
struct PDFTable {
    enum Alignment { case leading, trailing }

    struct Column {
        var title: String
        /// Share of the table's width.
        var weight: Double
        var alignment: Alignment = .leading
    }

    struct Cell {
        var text: String
        var style: TextStyle = PDFStyle.tableCell
        /// A second line in its own style (a warning under a verdict).
        var note: (text: String, style: TextStyle)? = nil
    }

    var columns: [Column]
    var rows: [[Cell]]
    static let padding = (x: 5.0, y: 4.0)
    static let maxLines = 4

    func columnWidths(_ width: Double) -> [Double] {
        let total = columns.map(\.weight).reduce(0, +)
        return columns.map { width * $0.weight / max(total, 0.0001) }
    }

    func headerHeight(width: Double, on canvas: Canvas) -> Double {
        height(of: columns.map { Cell(text: $0.title, style: PDFStyle.tableHeader) }, width: width, on: canvas)
    }

    func rowHeight(_ index: Int, width: Double, on canvas: Canvas) -> Double {
        height(of: rows[index], width: width, on: canvas)
    }

    private func height(of cells: [Cell], width: Double, on canvas: Canvas) -> Double {
        let widths = columnWidths(width)
        let text = zip(cells, widths).map { cell, w in
            measure(cell, width: w - 2 * PDFTable.padding.x, on: canvas).main
                + measure(cell, width: w - 2 * PDFTable.padding.x, on: canvas).note
        }.max() ?? 0
        return text + 2 * PDFTable.padding.y
    }

    private func measure(_ cell: Cell, width: Double, on canvas: Canvas) -> (main: Double, note: Double) {
        let main = canvas.measure(cell.text, style: cell.style, maxWidth: width, overflow: .wrap(maxLines: PDFTable.maxLines)).height
        let note = cell.note.map {
            canvas.measure($0.text, style: $0.style, maxWidth: width, overflow: .wrap(maxLines: PDFTable.maxLines)).height + 1
        } ?? 0
        return (main, note)
    }

    /// Draws the header at `y` and returns its height.
    @discardableResult
    func drawHeader(at origin: Point, width: Double, on canvas: Canvas) -> Double {
        let h = headerHeight(width: width, on: canvas)
        draw(columns.map { Cell(text: $0.title, style: PDFStyle.tableHeader) }, at: origin, width: width, height: h, on: canvas)
        canvas.line(from: Point(x: origin.x, y: origin.y + h), to: Point(x: origin.x + width, y: origin.y + h), Theme.ink, width: 0.8)
        return h
    }

    @discardableResult
    func drawRow(_ index: Int, at origin: Point, width: Double, on canvas: Canvas) -> Double {
        let h = rowHeight(index, width: width, on: canvas)
        draw(rows[index], at: origin, width: width, height: h, on: canvas)
        canvas.line(from: Point(x: origin.x, y: origin.y + h), to: Point(x: origin.x + width, y: origin.y + h),
                    Theme.gridLine, width: 0.5)
        return h
    }

    private func draw(_ cells: [Cell], at origin: Point, width: Double, height: Double, on canvas: Canvas) {
        var x = origin.x
        for (i, (cell, w)) in zip(cells, columnWidths(width)).enumerated() {
            let inner = w - 2 * PDFTable.padding.x
            let trailing = columns[i].alignment == .trailing
            let textX = trailing ? x + w - PDFTable.padding.x : x + PDFTable.padding.x
            let h = canvas.drawText(cell.text, style: cell.style, at: Point(x: textX, y: origin.y + PDFTable.padding.y),
                                    anchor: trailing ? .topTrailing : .topLeading, maxWidth: inner,
                                    overflow: .wrap(maxLines: PDFTable.maxLines)).height
            if let note = cell.note {
                canvas.drawText(note.text, style: note.style, at: Point(x: textX, y: origin.y + PDFTable.padding.y + h + 1),
                                anchor: trailing ? .topTrailing : .topLeading, maxWidth: inner,
                                overflow: .wrap(maxLines: PDFTable.maxLines))
            }
            x += w
        }
    }
}
