/// A one-row key of series names, drawn outside the plot (in the title row) so it never hides data.
public struct Legend: Sendable {
    public enum Swatch: Sendable {
        case line(Colour, dashed: Bool)
        case patch(Colour)
    }

    public struct Entry: Sendable {
        public var label: String
        public var swatch: Swatch

        public init(label: String, swatch: Swatch) {
            self.label = label
            self.swatch = swatch
        }
    }

    public var entries: [Entry]
    /// Labels longer than this are shortened in the middle (nil: never).
    public var maxLabelWidth: Double?

    public init(_ entries: [Entry], maxLabelWidth: Double? = nil) {
        self.entries = entries
        self.maxLabelWidth = maxLabelWidth
    }

    private func labelWidth(_ label: String) -> Double {
        let w = TextMetrics.measure(label, style: Theme.legend).width
        return maxLabelWidth.map { min($0, w) } ?? w
    }

    static let swatchWidth = 22.0
    static let swatchGap = 6.0
    static let entryGap = 16.0

    public var size: Size {
        guard !entries.isEmpty else { return Size(width: 0, height: 0) }
        let widths = entries.map { labelWidth($0.label) }
        let total = widths.reduce(0, +) + Double(entries.count) * (Legend.swatchWidth + Legend.swatchGap)
            + Double(entries.count - 1) * Legend.entryGap
        return Size(width: total, height: TextMetrics.lineHeight(Theme.legend))
    }

    /// Draws the legend with its right edge at `trailing.x`, vertically centred on `trailing.y`.
    public func draw(on canvas: Canvas, trailing: Point) {
        var xx = trailing.x - size.width
        let yy = trailing.y
        for entry in entries {
            switch entry.swatch {
            case .line(let colour, let dashed):
                canvas.line(from: Point(x: xx, y: yy), to: Point(x: xx + Legend.swatchWidth, y: yy), colour,
                            width: 2, dash: dashed ? [5, 3] : nil)
            case .patch(let colour):
                let r = Rect(x: xx + 4, y: yy - 6, width: Legend.swatchWidth - 8, height: 12)
                canvas.fill(r, colour)
            }
            xx += Legend.swatchWidth + Legend.swatchGap
            canvas.drawText(entry.label, style: Theme.legend, at: Point(x: xx, y: yy), anchor: .leading,
                            maxWidth: maxLabelWidth, overflow: .ellipsizeMiddle)
            xx += labelWidth(entry.label) + Legend.entryGap
        }
    }
}
