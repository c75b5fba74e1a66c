import Foundation

/// A candidate's value of the feature, drawn as a numbered marker above the plot.
public struct CandidateValue: Equatable, Sendable {
    /// What its marker shows: the candidate's number in the report ("3"), never a file name
    /// (names belong in the page's text, where they can be read whole).
    public var label: String
    public var value: Double

    public init(label: String, value: Double) {
        self.label = label
        self.value = value
    }
}

/// How one visual feature (brightness, contrast, colourfulness…) is distributed among popular
/// covers and the others, as two overlaid semi-transparent histograms, with each candidate
/// marked where it falls.
///
/// Each group's bars are shares of that group (they sum to 100 % per group), because the two
/// groups rarely have the same size and raw counts would make the bigger one look "typical".
///
/// The figure is as wide as asked and as tall as its content needs: title, legend, the marker
/// band (one to three rows of numbered markers) and the axes come first, and the plot gets at
/// least as much height again, so it always keeps at least half of the figure.
public struct FeatureDistribution: Figure, Sendable {
    public var feature: String
    public var popular: [Double]
    public var other: [Double]
    public var candidates: [CandidateValue]
    /// The feature's natural range (e.g. 0…1); by default the data's, widened to nice ticks.
    public var range: ClosedRange<Double>?
    public var binCount: Int
    public var width: Double
    public var labels: FigureLabels

    /// The plot is never shorter than this.
    static let minimumPlotHeight = 170.0

    public init(feature: String, popular: [Double], other: [Double] = [], candidates: [CandidateValue] = [],
                range: ClosedRange<Double>? = nil, binCount: Int = 20, width: Double = 560,
                labels: FigureLabels) {
        self.labels = labels
        self.feature = feature
        self.popular = popular.filter(\.isFinite)
        self.other = other.filter(\.isFinite)
        self.candidates = candidates.filter { $0.value.isFinite }
        self.range = range
        self.binCount = max(2, binCount)
        self.width = max(320, width)
    }

    static let candidateColour = Theme.ink

    /// Ticks as many as fit: labels of extreme values (−1000000) are wide, so fewer of them.
    var xTicks: NiceTicks {
        let all = popular + other + candidates.map(\.value)
        let lo = range?.lowerBound ?? all.min() ?? 0, hi = range?.upperBound ?? all.max() ?? 1
        let room = width - 2 * Theme.margin - 80
        for count in stride(from: 7, through: 2, by: -1) {
            let ticks = NiceTicks(lower: lo, upper: hi, maxCount: count)
            let widest = TextMetrics.maxWidth(ticks.values.map(ticks.label), style: Theme.tickLabel)
            if Double(ticks.values.count) * (widest + 12) <= room { return ticks }
        }
        return NiceTicks(lower: lo, upper: hi, maxCount: 2)
    }

    var domain: ClosedRange<Double> { range ?? xTicks.domain }

    /// Share of `values` in each of `binCount` equal bins over the domain (values outside are clamped in).
    func shares(_ values: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: binCount)
        let lo = domain.lowerBound, binWidth = (domain.upperBound - domain.lowerBound) / Double(binCount)
        guard binWidth > 0, !values.isEmpty else { return counts }
        for v in values {
            let i = max(0, min(binCount - 1, Int(((v - lo) / binWidth).rounded(.down))))
            counts[i] += 1
        }
        return counts.map { $0 / Double(values.count) }
    }

    var groups: [(name: String, values: [Double], colour: Colour)] {
        [("\(labels.popular) (n = \(popular.count))", popular, Theme.series[0]),
         ("\(labels.other) (n = \(other.count))", other, Theme.series[1])].filter { !$0.values.isEmpty }
    }

    var legend: Legend {
        var entries = groups.map { Legend.Entry(label: $0.name, swatch: .patch($0.colour.withAlpha(0.55))) }
        if !candidates.isEmpty {
            entries.append(Legend.Entry(label: labels.candidate, swatch: .line(FeatureDistribution.candidateColour, dashed: false)))
        }
        return Legend(entries)
    }

    private var title: String { "\(labels.distributionOf) \(feature)" }

    /// Whether the legend fits beside the title; otherwise it gets its own row below.
    private var legendBesideTitle: Bool {
        TextMetrics.measure(title, style: Theme.title).width + 24 + legend.size.width <= width - 2 * Theme.margin
    }

    private var headerHeight: Double {
        TextMetrics.lineHeight(Theme.title) + (legendBesideTitle ? 0 : legend.size.height + 6) + 10
    }

    private var yTicks: NiceTicks {
        let yMax = max(groups.flatMap { shares($0.values) }.max() ?? 0.1, 0.01)
        return NiceTicks(lower: 0, upper: yMax * 1.05, maxCount: 6)
    }

    /// Axes inside `frame`, with `band` above the plot for the markers.
    private func axes(in frame: Rect, band: Double = 0) -> Axes {
        Axes.fitting(frame: frame, xTicks: xTicks, xDomain: domain, yTicks: yTicks, yDomain: 0...yTicks.domain.upperBound,
                     xTitle: feature, yTitle: labels.shareOfGroup, band: band)
    }

    /// Markers for the plot's x scale.
    func marks(axes: Axes) -> CandidateMarks {
        CandidateMarks(labels: candidates.map(\.label),
                       xs: candidates.map { max(axes.plot.minX, min(axes.plot.maxX, axes.x($0.value))) },
                       plotMinX: axes.plot.minX, plotMaxX: axes.plot.maxX)
    }

    /// Everything but the plot's height: margins, header, marker band and the axes' own labels.
    private var layout: (axes: Axes, size: Size) {
        // The marker band depends only on x positions, which do not depend on the plot's height.
        let probe = axes(in: Rect(x: Theme.margin, y: 0, width: width - 2 * Theme.margin, height: 400))
        let band = marks(axes: probe).bandHeight
        let top = Theme.margin + headerHeight
        let axisRoom = 400 - probe.plot.height + band
        let fixed = top + axisRoom + Theme.margin
        // A few units over the fixed part, so rounding can never leave the plot under half.
        let plotHeight = max(FeatureDistribution.minimumPlotHeight, fixed + 4)
        let height = (fixed + plotHeight).rounded(.up)
        let frame = Rect(x: Theme.margin, y: top, width: width - 2 * Theme.margin, height: height - top - Theme.margin)
        return (axes(in: frame, band: band), Size(width: width.rounded(.up), height: height))
    }

    public var size: Size { layout.size }

    /// The plot's axes; public so tests and reports can find data coordinates.
    public var axes: Axes { layout.axes }

    public func render(in canvas: Canvas) {
        let axes = self.axes
        FigureTitle.draw(title, on: canvas, figureWidth: width)
        let titleHeight = TextMetrics.lineHeight(Theme.title)
        if legendBesideTitle {
            legend.draw(on: canvas, trailing: Point(x: width - Theme.margin, y: Theme.margin + titleHeight / 2))
        } else {
            legend.draw(on: canvas, trailing: Point(x: Theme.margin + legend.size.width,
                                                   y: Theme.margin + titleHeight + 6 + legend.size.height / 2))
        }
        axes.drawGrid(on: canvas)
        let binWidth = (domain.upperBound - domain.lowerBound) / Double(binCount)
        for group in groups {
            let outline = histogramOutline(shares(group.values), binWidth: binWidth, axes: axes)
            canvas.fillPolygon(outline, group.colour.withAlpha(0.35))
            canvas.polyline(outline, group.colour, width: 1.5)
        }
        marks(axes: axes).draw(on: canvas, bandBottom: axes.plot.minY, plotBottom: axes.plot.maxY,
                               colour: FeatureDistribution.candidateColour)
        axes.drawAxes(on: canvas)
    }

    /// The histogram as one step outline from the baseline round to the baseline.
    private func histogramOutline(_ shares: [Double], binWidth: Double, axes: Axes) -> [Point] {
        let base = axes.y(0)
        var points = [Point(x: axes.x(domain.lowerBound), y: base)]
        for (i, s) in shares.enumerated() {
            let x0 = axes.x(domain.lowerBound + Double(i) * binWidth)
            let x1 = axes.x(domain.lowerBound + Double(i + 1) * binWidth)
            points.append(Point(x: x0, y: axes.y(s)))
            points.append(Point(x: x1, y: axes.y(s)))
        }
        points.append(Point(x: axes.x(domain.upperBound), y: base))
        return points
    }
}
