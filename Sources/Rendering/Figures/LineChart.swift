/// One data series of a line chart.
public struct LineSeries: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var colour: Colour
    public var dashed: Bool

    public init(name: String, x: [Double], y: [Double], colour: Colour, dashed: Bool = false) {
        self.name = name
        self.x = x
        self.y = y
        self.colour = colour
        self.dashed = dashed
    }

    /// Points where both coordinates are finite (a missing validation value is NaN, not a dip to zero).
    var finitePoints: [(x: Double, y: Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
    }
}

/// A labelled vertical line across the plot, e.g. the best epoch.
public struct VerticalMarker: Equatable, Sendable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A line chart: series over a shared x axis, a legend in the title row, an optional marker.
///
/// Points are dotted when there are few of them (≤ 30), so a reader sees where the measurements are.
public struct LineChart: Figure, Sendable {
    public var title: String?
    public var xTitle: String?
    public var yTitle: String?
    public var series: [LineSeries]
    public var marker: VerticalMarker?
    /// Fixed y range (e.g. 0…1 for AUC); otherwise the data's range widened to nice ticks.
    public var yDomain: ClosedRange<Double>?
    /// Integer ticks on x (epochs).
    public var integerX: Bool
    public var size: Size

    public init(title: String? = nil, xTitle: String? = nil, yTitle: String? = nil, series: [LineSeries],
                marker: VerticalMarker? = nil, yDomain: ClosedRange<Double>? = nil, integerX: Bool = false,
                size: Size = Size(width: 560, height: 360)) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.marker = marker
        self.yDomain = yDomain
        self.integerX = integerX
        self.size = size
    }

    public func render(in canvas: Canvas) {
        draw(on: canvas, frame: Rect(x: 0, y: 0, width: size.width, height: size.height).insetBy(dx: Theme.margin, dy: Theme.margin))
    }

    var legend: Legend {
        Legend(series.map { Legend.Entry(label: $0.name, swatch: .line($0.colour, dashed: $0.dashed)) })
    }

    /// The legend with labels shortened so it fits beside a short title in `width`.
    func legend(fitting width: Double) -> Legend {
        var fitted = legend
        let n = Double(series.count)
        let titleRoom = min(160, title.map { TextMetrics.measure($0, style: Theme.title).width } ?? 0) + 16
        let chrome = n * (Legend.swatchWidth + Legend.swatchGap) + (n - 1) * Legend.entryGap
        if fitted.size.width > width - titleRoom { fitted.maxLabelWidth = max(40, (width - titleRoom - chrome) / n) }
        return fitted
    }

    /// Height of the title/legend row above the plot.
    var headerHeight: Double {
        let title = self.title == nil ? 0 : TextMetrics.lineHeight(Theme.title)
        return max(title, series.count > 1 ? legend.size.height : 0) + 12
    }

    /// Where the plot and its scales land inside `frame` (public so tests and reports can place
    /// annotations at data coordinates).
    public func axes(in frame: Rect) -> Axes {
        let points = series.flatMap(\.finitePoints)
        let xs = points.map(\.x) + (marker.map { [$0.x] } ?? [])
        let ys = points.map(\.y)
        let xLo = xs.min() ?? 0, xHi = xs.max() ?? 1
        let xTicks = NiceTicks(lower: xLo, upper: xHi, maxCount: 8, integersOnly: integerX)
        let yTicks: NiceTicks
        if let yDomain {
            yTicks = NiceTicks(lower: yDomain.lowerBound, upper: yDomain.upperBound, maxCount: 6)
        } else {
            let lo = ys.min() ?? 0, hi = ys.max() ?? 1
            let pad = (hi - lo) * 0.05
            yTicks = NiceTicks(lower: lo - pad, upper: hi + pad, maxCount: 6)
        }
        // x spans the data exactly (epochs 1…N fill the width, as in matplotlib with margins 0).
        let xDomain = xHi > xLo ? xLo...xHi : (xLo - 1)...(xHi + 1)
        let plotFrame = Rect(x: frame.x, y: frame.y + headerHeight, width: frame.width,
                             height: frame.height - headerHeight)
        return Axes.fitting(frame: plotFrame, xTicks: xTicks, xDomain: xDomain, yTicks: yTicks,
                            yDomain: yDomain ?? yTicks.domain, xTitle: xTitle, yTitle: yTitle)
    }

    /// Draws the chart inside `frame` of `canvas` (so several charts can share one figure).
    public func draw(on canvas: Canvas, frame: Rect) {
        let axes = axes(in: frame)
        let headerMid = frame.y + (headerHeight - 12) / 2
        var legendRoom = frame.width
        if series.count > 1 {
            let legend = legend(fitting: frame.width)
            legend.draw(on: canvas, trailing: Point(x: frame.maxX, y: headerMid))
            legendRoom -= legend.size.width + 16
        }
        if let title {
            canvas.drawText(title, style: Theme.title, at: Point(x: frame.x, y: headerMid), anchor: .leading,
                            maxWidth: max(40, legendRoom))
        }
        axes.drawGrid(on: canvas)
        canvas.withState {
            canvas.clip(to: axes.plot.insetBy(dx: -4, dy: -4))
            if let marker { drawMarkerLine(marker, axes: axes, on: canvas) }
            for s in series { drawSeries(s, axes: axes, on: canvas) }
            if let marker { drawMarkerLabel(marker, axes: axes, on: canvas) }
        }
        axes.drawAxes(on: canvas)
    }

    private func drawSeries(_ s: LineSeries, axes: Axes, on canvas: Canvas) {
        let points = s.finitePoints.map { Point(x: axes.x($0.x), y: axes.y($0.y)) }
        canvas.polyline(points, s.colour, width: 2, dash: s.dashed ? [6, 4] : nil)
        if points.count <= 30 {
            for p in points { canvas.fillCircle(center: p, radius: 3, s.colour) }
        }
    }

    private func drawMarkerLine(_ marker: VerticalMarker, axes: Axes, on canvas: Canvas) {
        let xx = canvas.crisp(axes.x(marker.x), lineWidth: 1.5)
        canvas.line(from: Point(x: xx, y: axes.plot.minY), to: Point(x: xx, y: axes.plot.maxY), Theme.marker,
                    width: 1.5, dash: [5, 4])
    }

    /// The label goes right of the line unless that leaves the plot, and at the top unless a
    /// series passes there (then at the bottom), so it never sits on the data.
    private func drawMarkerLabel(_ marker: VerticalMarker, axes: Axes, on canvas: Canvas) {
        let xx = axes.x(marker.x)
        let size = canvas.measure(marker.label, style: Theme.caption)
        let onRight = xx + 6 + size.width <= axes.plot.maxX
        let boxX = onRight ? xx + 3 : xx - 9 - size.width
        let candidates = [axes.plot.minY + 3, axes.plot.maxY - size.height - 5]
        let boxY = candidates.first { y in
            !collides(Rect(x: boxX, y: y, width: size.width + 6, height: size.height + 2), axes: axes)
        } ?? candidates[0]
        let box = Rect(x: boxX, y: boxY, width: size.width + 6, height: size.height + 2)
        canvas.fill(box, Theme.background.withAlpha(0.85))
        canvas.drawText(marker.label, style: Theme.caption.with(colour: Theme.marker),
                        at: Point(x: box.x + 3, y: box.y + 1))
    }

    /// Whether any series' line passes within a few units of `box`.
    private func collides(_ box: Rect, axes: Axes) -> Bool {
        let padded = box.insetBy(dx: -3, dy: -4)
        for s in series {
            let points = s.finitePoints.map { Point(x: axes.x($0.x), y: axes.y($0.y)) }
            for (a, b) in zip(points, points.dropFirst()) where b.x >= padded.minX && a.x <= padded.maxX {
                // Sample the segment across the box's width.
                for k in 0...8 {
                    let t = Double(k) / 8
                    let p = Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
                    if padded.contains(p) { return true }
                }
            }
        }
        return false
    }
}
