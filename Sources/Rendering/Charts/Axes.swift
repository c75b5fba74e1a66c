/// A plot area with left and bottom axes, tick labels, axis titles and a light grid: the frame
/// every chart shares, so all charts read alike.
///
/// `fitting(frame:…)` sizes the margins from the actual tick labels, so long labels never collide
/// with the axis title or get clipped. The y title stands upright above the tick labels, not turned
/// along the axis: Hangul or kana on its side cannot be read, and a level title reads faster in any
/// language.
public struct Axes: Equatable, Sendable {
    public let plot: Rect
    public let x: LinearScale
    public let y: LinearScale
    public let xTicks: [Double]
    public let yTicks: [Double]
    let xLabels: [String]
    let yLabels: [String]
    let xTitle: String?
    let yTitle: String?
    /// Top-left of the y title, and the width it may take.
    let yTitleOrigin: Point
    let yTitleWidth: Double

    static let tickLength = 4.0
    static let gap = 5.0

    /// Lays out axes inside `frame` for the given domains and ticks; `band` keeps that much room
    /// between the y title and the plot (for markers drawn above the plot).
    public static func fitting(frame: Rect, xTicks: NiceTicks, xDomain: ClosedRange<Double>? = nil,
                               yTicks: NiceTicks, yDomain: ClosedRange<Double>? = nil,
                               xTitle: String?, yTitle: String?, band: Double = 0) -> Axes {
        let xd = xDomain ?? xTicks.domain, yd = yDomain ?? yTicks.domain
        let xs = xTicks.values(within: xd), ys = yTicks.values(within: yd)
        let xl = xs.map(xTicks.label), yl = ys.map(yTicks.label)
        let tickHeight = TextMetrics.lineHeight(Theme.tickLabel)
        let titleHeight = TextMetrics.lineHeight(Theme.axisLabel)
        let left = TextMetrics.maxWidth(yl, style: Theme.tickLabel) + tickLength + gap
        let top = (yTitle == nil ? 0 : titleHeight + gap) + band
        let bottom = tickLength + gap + tickHeight + (xTitle == nil ? 0 : gap + titleHeight)
        // Half a tick label of room on the right so the last x label is not clipped.
        let right = (TextMetrics.maxWidth(xl.suffix(1), style: Theme.tickLabel) / 2).rounded(.up)
        let plot = Rect(x: (frame.x + left).rounded(), y: (frame.y + top + tickHeight / 2).rounded(),
                        width: (frame.width - left - right).rounded(),
                        height: (frame.height - top - bottom - tickHeight / 2).rounded())
        return Axes(plot: plot,
                    x: LinearScale(domain: xd, start: plot.minX, end: plot.maxX),
                    y: LinearScale(domain: yd, start: plot.maxY, end: plot.minY),
                    xTicks: xs, yTicks: ys, xLabels: xl, yLabels: yl, xTitle: xTitle, yTitle: yTitle,
                    yTitleOrigin: Point(x: frame.x, y: frame.y), yTitleWidth: frame.width)
    }

    /// Grid lines behind the data.
    public func drawGrid(on canvas: Canvas) {
        for v in yTicks {
            let yy = canvas.crisp(y(v))
            guard yy < plot.maxY - 0.5 else { continue }
            canvas.line(from: Point(x: plot.minX, y: yy), to: Point(x: plot.maxX, y: yy), Theme.gridLine)
        }
        for v in xTicks {
            let xx = canvas.crisp(x(v))
            guard xx > plot.minX + 0.5 else { continue }
            canvas.line(from: Point(x: xx, y: plot.minY), to: Point(x: xx, y: plot.maxY), Theme.gridLine)
        }
    }

    /// Axis lines, ticks, tick labels and titles, drawn over the data.
    public func drawAxes(on canvas: Canvas) {
        canvas.log?.recordPlot(canvas.canvasRect(plot))
        let left = canvas.crisp(plot.minX), bottom = canvas.crisp(plot.maxY)
        canvas.line(from: Point(x: left, y: plot.minY), to: Point(x: left, y: bottom), Theme.axisLine)
        canvas.line(from: Point(x: left, y: bottom), to: Point(x: plot.maxX, y: bottom), Theme.axisLine)
        for (v, label) in zip(yTicks, yLabels) {
            let yy = canvas.crisp(y(v))
            canvas.line(from: Point(x: left - Axes.tickLength, y: yy), to: Point(x: left, y: yy), Theme.axisLine)
            canvas.drawText(label, style: Theme.tickLabel, at: Point(x: left - Axes.tickLength - Axes.gap, y: yy),
                            anchor: .trailing)
        }
        for (v, label) in zip(xTicks, xLabels) {
            let xx = canvas.crisp(x(v))
            canvas.line(from: Point(x: xx, y: bottom), to: Point(x: xx, y: bottom + Axes.tickLength), Theme.axisLine)
            canvas.drawText(label, style: Theme.tickLabel, at: Point(x: xx, y: bottom + Axes.tickLength + Axes.gap),
                            anchor: .top)
        }
        let tickHeight = TextMetrics.lineHeight(Theme.tickLabel)
        if let xTitle {
            canvas.drawText(xTitle, style: Theme.axisLabel,
                            at: Point(x: plot.midX, y: bottom + Axes.tickLength + 2 * Axes.gap + tickHeight),
                            anchor: .top, maxWidth: plot.width)
        }
        if let yTitle {
            canvas.drawText(yTitle, style: Theme.axisLabel, at: yTitleOrigin, maxWidth: yTitleWidth)
        }
    }
}
