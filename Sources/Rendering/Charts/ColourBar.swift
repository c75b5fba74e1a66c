import Imaging

/// A vertical colour scale with ticks on its right, for heatmaps and attention maps.
public struct ColourBar: Sendable {
    public var map: ColourMap
    public var range: ClosedRange<Double>
    public var title: String?
    /// Text ticks instead of numbers (e.g. "low"/"high"), at the ends.
    public var endLabels: (low: String, high: String)?

    public init(map: ColourMap, range: ClosedRange<Double>, title: String? = nil,
                endLabels: (low: String, high: String)? = nil) {
        self.map = map
        self.range = range
        self.title = title
        self.endLabels = endLabels
    }

    static let barWidth = 14.0

    var ticks: NiceTicks { NiceTicks(lower: range.lowerBound, upper: range.upperBound, maxCount: 6) }

    var labels: [(value: Double, text: String)] {
        if let endLabels { return [(range.lowerBound, endLabels.low), (range.upperBound, endLabels.high)] }
        let t = ticks
        return t.values(within: range).map { ($0, t.label($0)) }
    }

    /// Total width: bar, ticks, labels and the rotated title.
    public var width: Double {
        let labelWidth = TextMetrics.maxWidth(labels.map(\.text), style: Theme.tickLabel)
        let titleWidth = title == nil ? 0 : TextMetrics.lineHeight(Theme.axisLabel) + 6
        return ColourBar.barWidth + Axes.tickLength + 4 + labelWidth + titleWidth
    }

    /// Draws the bar in a column starting at `origin` (top-left), `height` tall.
    public func draw(on canvas: Canvas, origin: Point, height: Double) {
        let bar = Rect(x: origin.x, y: origin.y, width: ColourBar.barWidth, height: height)
        // The 256 table entries as a 1-pixel-wide image, top = high, stretched smoothly.
        var strip = RGBImage(width: 1, height: 256)
        for i in 0..<256 { strip[0, 255 - i] = map.bytes(at: (Double(i) + 0.5) / 256) }
        canvas.drawImage(strip, stretchedTo: bar, smooth: true)
        canvas.stroke(bar, Theme.axisLine, width: 1)
        let span = range.upperBound - range.lowerBound
        var labelWidth = 0.0
        for (value, text) in labels {
            let t = span > 0 ? (value - range.lowerBound) / span : 0.5
            let yy = canvas.crisp(bar.maxY - t * height)
            canvas.line(from: Point(x: bar.maxX, y: yy), to: Point(x: bar.maxX + Axes.tickLength, y: yy), Theme.axisLine)
            let w = canvas.drawText(text, style: Theme.tickLabel, at: Point(x: bar.maxX + Axes.tickLength + 4, y: yy),
                                    anchor: .leading).width
            labelWidth = max(labelWidth, w)
        }
        if let title {
            canvas.drawText(title, style: Theme.axisLabel,
                            at: Point(x: bar.maxX + Axes.tickLength + 4 + labelWidth + 6, y: bar.midY),
                            anchor: .top, maxWidth: height, rotation: -Double.pi / 2)
        }
    }
}
