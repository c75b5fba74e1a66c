import Foundation

/// A candidate's value of the feature, drawn as a labelled vertical line.
public struct CandidateValue: Equatable, Sendable {
    public var name: String
    public var value: Double

    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }
}

/// How one visual feature (brightness, contrast, colourfulness…) is distributed among popular
/// covers and the others, as two overlaid semi-transparent histograms, with each candidate
/// marked where it falls.
///
/// Each group's bars are shares of that group (they sum to 100 % per group), because the two
/// groups rarely have the same size and raw counts would make the bigger one look "typical".
public struct FeatureDistribution: Figure, Sendable {
    public var feature: String
    public var popular: [Double]
    public var other: [Double]
    public var candidates: [CandidateValue]
    /// The feature's natural range (e.g. 0…1); by default the data's, widened to nice ticks.
    public var range: ClosedRange<Double>?
    public var binCount: Int
    public var size: Size
    public var labels: FigureLabels

    public init(feature: String, popular: [Double], other: [Double] = [], candidates: [CandidateValue] = [],
                range: ClosedRange<Double>? = nil, binCount: Int = 20, size: Size = Size(width: 640, height: 380),
                labels: FigureLabels = .english) {
        self.labels = labels
        self.feature = feature
        self.popular = popular.filter(\.isFinite)
        self.other = other.filter(\.isFinite)
        self.candidates = candidates.filter { $0.value.isFinite }
        self.range = range
        self.binCount = max(2, binCount)
        self.size = size
    }

    static let candidateColour = Theme.ink

    var xTicks: NiceTicks {
        if let range { return NiceTicks(lower: range.lowerBound, upper: range.upperBound, maxCount: 7) }
        let all = popular + other + candidates.map(\.value)
        return NiceTicks(lower: all.min() ?? 0, upper: all.max() ?? 1, maxCount: 7)
    }

    var domain: ClosedRange<Double> { range ?? xTicks.domain }

    /// Share of `values` in each of `binCount` equal bins over the domain (values outside are clamped in).
    func shares(_ values: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: binCount)
        let lo = domain.lowerBound, width = (domain.upperBound - domain.lowerBound) / Double(binCount)
        guard width > 0, !values.isEmpty else { return counts }
        for v in values {
            let i = max(0, min(binCount - 1, Int(((v - lo) / width).rounded(.down))))
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
        if !candidates.isEmpty { entries.append(Legend.Entry(label: labels.candidate, swatch: .line(FeatureDistribution.candidateColour, dashed: false))) }
        return Legend(entries)
    }

    private var title: String { "\(labels.distributionOf) \(feature)" }

    /// Whether the legend fits beside the title; otherwise it gets its own row below.
    private var legendBesideTitle: Bool {
        TextMetrics.measure(title, style: Theme.title).width + 24 + legend.size.width <= size.width - 2 * Theme.margin
    }

    private var headerHeight: Double {
        TextMetrics.lineHeight(Theme.title) + (legendBesideTitle ? 0 : legend.size.height + 6) + 10
    }

    /// Candidate labels for the given x scale.
    func lineLabels(axes: Axes) -> LineLabels {
        let xs = candidates.map { max(axes.plot.minX, min(axes.plot.maxX, axes.x($0.value))) }
        return LineLabels(texts: candidates.map(label), xs: xs, plotMinX: axes.plot.minX, plotMaxX: axes.plot.maxX)
    }

    /// Name and value, the value with one decimal more than the axis ticks.
    func label(_ c: CandidateValue) -> String {
        let decimals = max(0, Int((-log10(xTicks.step)).rounded(.up))) + 1
        return "\(c.name) · " + String(format: "%.\(decimals)f", c.value)
    }

    /// The plot's axes; public so tests and reports can find data coordinates.
    public var axes: Axes {
        let inner = Rect(x: 0, y: 0, width: size.width, height: size.height).insetBy(dx: Theme.margin, dy: Theme.margin)
        let yMax = max(groups.flatMap { shares($0.values) }.max() ?? 0.1, 0.01)
        let yTicks = NiceTicks(lower: 0, upper: yMax * 1.05, maxCount: 6)
        // First pass for the x scale, then reserve the candidate label rows the scale implies.
        func axes(top: Double) -> Axes {
            Axes.fitting(frame: Rect(x: inner.x, y: inner.y + top, width: inner.width, height: inner.height - top),
                         xTicks: xTicks, xDomain: domain, yTicks: yTicks, yDomain: 0...yTicks.domain.upperBound,
                         xTitle: feature, yTitle: labels.shareOfGroup)
        }
        let first = axes(top: headerHeight)
        return axes(top: headerHeight + lineLabels(axes: first).bandHeight)
    }

    public func render(in canvas: Canvas) {
        let axes = self.axes
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        let titleHeight = TextMetrics.lineHeight(Theme.title)
        if legendBesideTitle {
            legend.draw(on: canvas, trailing: Point(x: size.width - Theme.margin, y: Theme.margin + titleHeight / 2))
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
        drawCandidates(axes: axes, on: canvas)
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

    private func drawCandidates(axes: Axes, on canvas: Canvas) {
        lineLabels(axes: axes).draw(on: canvas, bandBottom: axes.plot.minY, plotBottom: axes.plot.maxY,
                                    colour: FeatureDistribution.candidateColour)
    }
}
