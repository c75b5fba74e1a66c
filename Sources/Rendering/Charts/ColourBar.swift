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

    /// Total width: bar, ticks and labels, or the title above them if it is wider.
    public var width: Double {
        let labelWidth = TextMetrics.maxWidth(labels.map(\.text), style: Theme.tickLabel)
        let titleWidth = title.map { TextMetrics.measure($0, style: Theme.axisLabel).width } ?? 0
        return max(ColourBar.barWidth + Axes.tickLength + 4 + labelWidth, titleWidth)
    }

    /// Room the title takes above the bar (it stands upright: Hangul or kana turned sideways
    /// cannot be read, and a short title reads better level in every language).
    public var titleHeight: Double { title == nil ? 0 : TextMetrics.lineHeight(Theme.axisLabel) + 8 }

    /// Draws the title at `origin` and the bar below it, `height` tall in all (title included).
    public func draw(on canvas: Canvas, origin: Point, height: Double) {
        if let title {
            canvas.drawText(title, style: Theme.axisLabel, at: origin)
        }
        let tickHalf = TextMetrics.lineHeight(Theme.tickLabel) / 2
        let barHeight = max(20, height - titleHeight - 1.5 * tickHalf)
        let bar = Rect(x: origin.x, y: origin.y + titleHeight + tickHalf / 2, width: ColourBar.barWidth, height: barHeight)
        // The 256 table entries as a 1-pixel-wide image, top = high, stretched smoothly.
        var strip = RGBImage(width: 1, height: 256)
        for i in 0..<256 { strip[0, 255 - i] = map.bytes(at: (Double(i) + 0.5) / 256) }
        canvas.drawImage(strip, stretchedTo: bar, smooth: true)
        canvas.stroke(bar, Theme.axisLine, width: 1)
        let span = range.upperBound - range.lowerBound
        for (value, text) in labels {
            let t = span > 0 ? (value - range.lowerBound) / span : 0.5
            let yy = canvas.crisp(bar.maxY - t * bar.height)
            canvas.line(from: Point(x: bar.maxX, y: yy), to: Point(x: bar.maxX + Axes.tickLength, y: yy), Theme.axisLine)
            canvas.drawText(text, style: Theme.tickLabel, at: Point(x: bar.maxX + Axes.tickLength + 4, y: yy), anchor: .leading)
        }
    }
}
