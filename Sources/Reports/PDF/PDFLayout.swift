import Rendering

/// Places blocks on pages: a block that does not fit goes to the next page, tables split between
/// rows (the header repeats), and a heading never ends a page alone. Laid out fully before drawing
/// so every footer can say "page n of N".
struct PDFLayout {
    struct Placement {
        var block: Int
        var y: Double
        /// For tables: the rows on this page (the header is drawn above them).
        var rows: Range<Int>?
    }

    let pageSize: Size
    var contentWidth: Double { pageSize.width - PDFStyle.margin.left - PDFStyle.margin.right }
    var top: Double { PDFStyle.margin.top }
    var bottom: Double { pageSize.height - PDFStyle.margin.bottom }

    func paginate(_ blocks: [PDFBlock], on canvas: Canvas) -> [[Placement]] {
        var pages: [[Placement]] = [[]]
        var y = top
        func newPage() {
            if !(pages.last?.isEmpty ?? true) { pages.append([]) }
            y = top
        }
        for (i, block) in blocks.enumerated() {
            switch block {
            case .pageBreak:
                newPage()
            case .table(let table):
                var row = 0
                let header = table.headerHeight(width: contentWidth, on: canvas)
                while row < table.rows.count {
                    let first = row
                    var h = header
                    while row < table.rows.count {
                        let rh = table.rowHeight(row, width: contentWidth, on: canvas)
                        if y + h + rh > bottom, row > first { break }
                        if y + h + rh > bottom, y > top { break }
                        h += rh
                        row += 1
                    }
                    if row == first { newPage(); continue }
                    pages[pages.count - 1].append(Placement(block: i, y: y, rows: first..<row))
                    y += h
                    if row < table.rows.count { newPage() }
                }
                y += PDFStyle.gap
            default:
                var h = block.height(width: contentWidth, on: canvas)
                if block.keepsWithNext, i + 1 < blocks.count {
                    h += min(leadingHeight(of: blocks[i + 1], on: canvas), bottom - top - h)
                }
                if y + h > bottom, y > top { newPage() }
                pages[pages.count - 1].append(Placement(block: i, y: y, rows: nil))
                y += block.height(width: contentWidth, on: canvas) + (block.keepsWithNext ? 2 : PDFStyle.gap)
            }
        }
        if pages.count > 1, pages.last?.isEmpty == true { pages.removeLast() }
        return pages
    }

    /// How much of `block` must share a page with the heading above it: all of it, or a table's
    /// header and first row.
    private func leadingHeight(of block: PDFBlock, on canvas: Canvas) -> Double {
        if case .table(let table) = block {
            return table.headerHeight(width: contentWidth, on: canvas)
                + (table.rows.isEmpty ? 0 : table.rowHeight(0, width: contentWidth, on: canvas))
        }
        return block.height(width: contentWidth, on: canvas)
    }
}
