/// Cosine similarity of every candidate (rows) to every popular cover (columns), coloured with
/// viridis so the most similar pairs are the brightest (yellow) cells.
public struct SimilarityHeatmap: Figure, Sendable {
    public let title: String?
    public let rowNames: [String]
    public let columnNames: [String]
    /// `values[row][column]`, rows = candidates.
    public let values: [[Double]]
    /// The scores mapped to the ends of the colour map; by default the data's own range.
    public let range: ClosedRange<Double>
    public let layout: Layout

    /// Where everything goes, computed once from the data and the label widths.
    public struct Layout: Equatable, Sendable {
        public let grid: Rect
        public let cellSize: Double
        public let rotatedColumnLabels: Bool
        public let showColumnLabels: Bool
        public let showValues: Bool
        public let colourBarOrigin: Point
        public let size: Size
    }

    static let maxLabelWidth = 170.0
    static let valueStyle = TextStyle(size: 10)

    public let labels: FigureLabels

    /// `title` nil: the labels' title; "": no title. `range` nil: the data's own range.
    public init(title: String? = nil, rowNames: [String], columnNames: [String], values: [[Double]],
                range: ClosedRange<Double>? = nil, labels: FigureLabels = .english) throws {
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
        let finite = values.joined().filter(\.isFinite)
        var lo = range?.lowerBound ?? finite.min() ?? 0, hi = range?.upperBound ?? finite.max() ?? 1
        if hi <= lo { lo -= 0.5; hi = lo + 1 }
        self.range = lo...hi
        self.layout = SimilarityHeatmap.makeLayout(title: self.title, rows: rowNames, columns: columnNames, range: lo...hi,
                                                   labels: labels)
    }

    public var size: Size { layout.size }

    private static func makeLayout(title: String?, rows: [String], columns: [String], range: ClosedRange<Double>,
                                   labels: FigureLabels) -> Layout {
        let m = Theme.margin
        // Cells shrink with the count but stay big enough for a label up to ~48 columns or rows
        // (the figure grows instead); beyond that labels go and only the colours remain.
        let fitted = min(56, (720 / Double(columns.count)).rounded(.down), (560 / Double(rows.count)).rounded(.down))
        let cell = max(columns.count <= 48 && rows.count <= 48 ? 20 : 4, fitted)
        let labelLine = TextMetrics.lineHeight(Theme.tickLabel)
        let axisLine = TextMetrics.lineHeight(Theme.axisLabel)
        let titleHeight = FigureTitle.height(title)
        let rowLabelWidth = min(maxLabelWidth, TextMetrics.maxWidth(rows, style: Theme.tickLabel))
        let columnLabelWidth = min(maxLabelWidth, TextMetrics.maxWidth(columns, style: Theme.tickLabel))
        // Rotated labels stand cell·sin 45° apart, so they need less room than upright ones.
        let showColumnLabels = cell >= 0.75 * labelLine
        let rotated = columnLabelWidth > cell - 4
        let columnLabelHeight = !showColumnLabels ? 0
            : rotated ? (columnLabelWidth * 0.7072 + labelLine * 0.5).rounded(.up) : labelLine
        let valueWidth = TextMetrics.measure("0.00", style: valueStyle).width
        // "candidates" heads the row-label column, above the grid, so it fits however few rows there are.
        let grid = Rect(x: m + max(rowLabelWidth, TextMetrics.measure(labels.candidates, style: Theme.axisLabel).width) + 6,
                        y: m + titleHeight + axisLine + 6,
                        width: cell * Double(columns.count), height: cell * Double(rows.count))
        let bar = ColourBar(map: .viridis, range: range, title: labels.cosineSimilarity)
        let barHeight = max(grid.height, 140)
        let barOrigin = Point(x: grid.maxX + 20, y: grid.minY)
        // Rotated labels hang down-left from their column; the first may reach left of the grid.
        let width = max(barOrigin.x + bar.width, grid.minX + columnLabelWidth) + m
        let height = max(grid.maxY + 6 + columnLabelHeight + 8 + axisLine, grid.minY + barHeight) + m
        return Layout(grid: grid, cellSize: cell, rotatedColumnLabels: rotated, showColumnLabels: showColumnLabels,
                      showValues: cell >= valueWidth + 8 && cell >= labelLine + 6,
                      colourBarOrigin: barOrigin, size: Size(width: width.rounded(.up), height: height.rounded(.up)))
    }

    /// The cell of candidate `row` and popular cover `column`.
    public func cellRect(row: Int, column: Int) -> Rect {
        Rect(x: layout.grid.x + Double(column) * layout.cellSize, y: layout.grid.y + Double(row) * layout.cellSize,
             width: layout.cellSize, height: layout.cellSize)
    }

    func colour(_ v: Double) -> Colour {
        ColourMap.viridis.colour(at: (v - range.lowerBound) / (range.upperBound - range.lowerBound))
    }

    public func render(in canvas: Canvas) {
        let grid = layout.grid
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
            .draw(on: canvas, origin: layout.colourBarOrigin, height: max(grid.height, 140))
    }

    private func drawLabels(on canvas: Canvas) {
        let grid = layout.grid, cell = layout.cellSize
        let maxWidth = SimilarityHeatmap.maxLabelWidth
        for (r, name) in rowNames.enumerated() where cell >= 0.75 * TextMetrics.lineHeight(Theme.tickLabel) {
            canvas.drawText(name, style: Theme.tickLabel, at: Point(x: grid.minX - 6, y: grid.minY + (Double(r) + 0.5) * cell),
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
