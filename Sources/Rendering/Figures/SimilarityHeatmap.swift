/// Cosine similarity of every candidate (rows) to every popular cover (columns), coloured with
/// viridis so the most similar pairs are the brightest (yellow) cells.
///
/// The colour scale is fixed (0…1 cosine by default), so the same colour means the same
/// similarity in every report. Cells are as wide as the column count allows and as tall as a row
/// label needs: 40 candidates keep readable row labels however many popular covers there are
/// (column labels go when columns get too narrow; the page lists every match by name).
public struct SimilarityHeatmap: Figure, Sendable {
    public let title: String?
    public let rowNames: [String]
    public let columnNames: [String]
    /// `values[row][column]`, rows = candidates.
    public let values: [[Double]]
    /// The scores mapped to the ends of the colour map.
    public let range: ClosedRange<Double>
    public let layout: Layout

    /// Where everything goes, computed once from the data and the label widths.
    public struct Layout: Equatable, Sendable {
        public let grid: Rect
        public let cellWidth: Double
        public let cellHeight: Double
        public let rotatedColumnLabels: Bool
        public let showColumnLabels: Bool
        public let showValues: Bool
        public let colourBarOrigin: Point
        public let colourBarHeight: Double
        public let size: Size
    }

    static let maxLabelWidth = 170.0
    static let valueStyle = TextStyle(size: 10)
    /// The scale every report shares.
    public static let defaultRange: ClosedRange<Double> = 0...1

    public let labels: FigureLabels

    /// `title` nil: the labels' title; "": no title.
    public init(title: String? = nil, rowNames: [String], columnNames: [String], values: [[Double]],
                range: ClosedRange<Double> = SimilarityHeatmap.defaultRange, labels: FigureLabels) throws {
        guard !rowNames.isEmpty, !columnNames.isEmpty else {
            throw RenderingError.invalidData(figure: "similarity heatmap", reason: "needs at least one row and one column")
        }
        guard values.count == rowNames.count, values.allSatisfy({ $0.count == columnNames.count }) else {
            throw RenderingError.invalidData(
                figure: "similarity heatmap",
                reason: "values must be \(rowNames.count) rows × \(columnNames.count) columns")
        }
        self.title = title ?? labels.heatmapTitle
        self.labels = labels
        self.rowNames = rowNames
        self.columnNames = columnNames
        self.values = values
        var lo = range.lowerBound, hi = range.upperBound
        if hi <= lo { lo -= 0.5; hi = lo + 1 }
        self.range = lo...hi
        self.layout = SimilarityHeatmap.makeLayout(title: self.title, rows: rowNames, columns: columnNames, range: lo...hi,
                                                   labels: labels)
    }

    public var size: Size { layout.size }

    private static func makeLayout(title: String?, rows: [String], columns: [String], range: ClosedRange<Double>,
                                   labels: FigureLabels) -> Layout {
        let m = Theme.margin
        let labelLine = TextMetrics.lineHeight(Theme.tickLabel)
        let axisLine = TextMetrics.lineHeight(Theme.axisLabel)
        // Rows stay tall enough for a label's letters (14 units: the ink of 10-pt text, not its
        // line box), so 40 candidates fit in 560 units; columns share 720 units.
        let cellHeight = max(14, min(56, (560 / Double(rows.count)).rounded(.down)))
        let cellWidth = max(3, min(56, (720 / Double(columns.count)).rounded(.down), cellHeight))
        let titleHeight = FigureTitle.height(title)
        let rowLabelWidth = min(maxLabelWidth, TextMetrics.maxWidth(rows, style: Theme.tickLabel))
        let columnLabelWidth = min(maxLabelWidth, TextMetrics.maxWidth(columns, style: Theme.tickLabel))
        // Rotated labels stand cellWidth·sin 45° apart, so they need a little more than a line's height.
        let showColumnLabels = cellWidth >= 1.45 * labelLine || (cellWidth >= 0.75 * labelLine && columnLabelWidth <= cellWidth - 4)
        let rotated = columnLabelWidth > cellWidth - 4
        let columnLabelHeight = !showColumnLabels ? 0
            : rotated ? (columnLabelWidth * 0.7072 + labelLine * 0.75).rounded(.up) : labelLine
        let valueWidth = TextMetrics.measure("0.00", style: valueStyle).width
        // "candidates" heads the row-label column, above the grid, so it fits however few rows there are.
        let rowColumn = max(rowLabelWidth, TextMetrics.measure(labels.candidates, style: Theme.axisLabel).width)
        // The first rotated label hangs down-left from its column; keep it on the canvas.
        let gridX = m + max(rowColumn + 6, rotated && showColumnLabels ? columnLabelWidth * 0.7072 : 0)
        let grid = Rect(x: gridX, y: m + titleHeight + axisLine + 6,
                        width: cellWidth * Double(columns.count), height: cellHeight * Double(rows.count))
        let bar = ColourBar(map: .viridis, range: range, title: labels.cosineSimilarity)
        let barHeight = max(grid.height, 160)
        let barOrigin = Point(x: grid.maxX + 20, y: grid.minY)
        let axisTitleWidth = TextMetrics.measure(labels.popularCovers, style: Theme.axisLabel).width
        let width = max(barOrigin.x + bar.width, grid.midX + axisTitleWidth / 2) + m
        let height = max(grid.maxY + 6 + columnLabelHeight + 8 + axisLine, grid.minY + barHeight) + m
        return Layout(grid: grid, cellWidth: cellWidth, cellHeight: cellHeight, rotatedColumnLabels: rotated,
                      showColumnLabels: showColumnLabels,
                      showValues: cellWidth >= valueWidth + 8 && cellHeight >= labelLine + 6,
                      colourBarOrigin: barOrigin, colourBarHeight: barHeight,
                      size: Size(width: width.rounded(.up), height: height.rounded(.up)))
    }

    /// The cell of candidate `row` and popular cover `column`.
    public func cellRect(row: Int, column: Int) -> Rect {
        Rect(x: layout.grid.x + Double(column) * layout.cellWidth, y: layout.grid.y + Double(row) * layout.cellHeight,
             width: layout.cellWidth, height: layout.cellHeight)
    }

    func colour(_ v: Double) -> Colour {
        ColourMap.viridis.colour(at: max(0, min(1, (v - range.lowerBound) / (range.upperBound - range.lowerBound))))
    }

    public func render(in canvas: Canvas) {
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                let cell = cellRect(row: r, column: c)
                let fill = v.isFinite ? colour(v) : Theme.gridLine
                // Cells overlap by a hair so no white seams show between them when scaled.
                canvas.fill(Rect(x: cell.x, y: cell.y, width: cell.width + 0.3, height: cell.height + 0.3), fill)
                if layout.showValues, v.isFinite {
                    canvas.drawText(String(format: "%.2f", v), style: SimilarityHeatmap.valueStyle.with(colour: fill.legibleTextColour),
                                    at: cell.center, anchor: .center)
                }
            }
        }
        drawLabels(on: canvas)
        ColourBar(map: .viridis, range: range, title: labels.cosineSimilarity)
            .draw(on: canvas, origin: layout.colourBarOrigin, height: layout.colourBarHeight)
    }

    private func drawLabels(on canvas: Canvas) {
        let grid = layout.grid, cell = layout.cellWidth
        let maxWidth = SimilarityHeatmap.maxLabelWidth
        for (r, name) in rowNames.enumerated() {
            canvas.drawText(name, style: Theme.tickLabel,
                            at: Point(x: grid.minX - 6, y: grid.minY + (Double(r) + 0.5) * layout.cellHeight),
                            anchor: .trailing, maxWidth: maxWidth, overflow: .ellipsizeMiddle)
        }
        var labelBottom = grid.maxY
        if layout.showColumnLabels {
            for (c, name) in columnNames.enumerated() {
                let x = grid.minX + (Double(c) + 0.5) * cell
                if layout.rotatedColumnLabels {
                    canvas.drawText(name, style: Theme.tickLabel, at: Point(x: x + 4, y: grid.maxY + 6),
                                    anchor: .trailing, maxWidth: maxWidth, overflow: .ellipsizeMiddle,
                                    rotation: -Double.pi / 4)
                } else {
                    canvas.drawText(name, style: Theme.tickLabel, at: Point(x: x, y: grid.maxY + 6), anchor: .top,
                                    maxWidth: cell - 2, overflow: .ellipsizeMiddle)
                }
            }
            labelBottom = size.height - Theme.margin - TextMetrics.lineHeight(Theme.axisLabel) - 8
        }
        canvas.drawText(labels.popularCovers, style: Theme.axisLabel, at: Point(x: grid.midX, y: labelBottom + 8),
                        anchor: .top)
        canvas.drawText(labels.candidates, style: Theme.axisLabel, at: Point(x: grid.minX - 6, y: grid.minY - 6),
                        anchor: .bottomTrailing)
    }
}
