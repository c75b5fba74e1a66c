/// One epoch's metrics, as a training log records them; validation values are `nil` when there
/// was no validation split.
public struct EpochMetrics: Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var validationLoss: Double?
    public var validationAUC: Double?
    public var validationAccuracy: Double?

    public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationAUC: Double? = nil,
                validationAccuracy: Double? = nil) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationAUC = validationAUC
        self.validationAccuracy = validationAccuracy
    }
}

/// Loss curves (train and validation) beside validation AUC and accuracy, with the best epoch
/// marked in both panels — the figure that shows whether training over- or under-fitted.
public struct TrainingCurves: Figure, Sendable {
    public var epochs: [EpochMetrics]
    /// The epoch whose weights were kept; defaults to the highest validation AUC, as the trainer
    /// keeps it (the earliest of equals).
    public var bestEpoch: Int?
    public var size: Size
    public var labels: FigureLabels

    public init(epochs: [EpochMetrics], bestEpoch: Int? = nil, size: Size = Size(width: 960, height: 380),
                labels: FigureLabels) {
        self.labels = labels
        self.epochs = epochs.sorted { $0.epoch < $1.epoch }
        self.bestEpoch = bestEpoch ?? TrainingCurves.highestAUC(epochs)
        self.size = size
    }

    /// The first epoch with the highest finite validation AUC.
    public static func highestAUC(_ epochs: [EpochMetrics]) -> Int? {
        var best: EpochMetrics?
        for e in epochs.sorted(by: { $0.epoch < $1.epoch }) {
            guard let auc = e.validationAUC, auc.isFinite else { continue }
            if auc > (best?.validationAUC ?? -.infinity) { best = e }
        }
        return best?.epoch
    }

    private var marker: VerticalMarker? {
        bestEpoch.map { VerticalMarker(x: Double($0), label: "\(labels.bestEpoch) \($0)") }
    }

    var hasValidation: Bool { epochs.contains { $0.validationAUC != nil || $0.validationAccuracy != nil } }

    private func series(_ name: String, _ colour: Colour, dashed: Bool = false,
                        _ value: (EpochMetrics) -> Double?) -> LineSeries? {
        let values = epochs.map { value($0) ?? .nan }
        guard values.contains(where: \.isFinite) else { return nil }
        return LineSeries(name: name, x: epochs.map { Double($0.epoch) }, y: values, colour: colour, dashed: dashed)
    }

    /// The left panel: losses.
    public var lossChart: LineChart {
        return LineChart(title: labels.lossTitle, xTitle: labels.epoch, yTitle: labels.lossAxis,
                         series: [series(labels.train, Theme.series[0]) { $0.trainLoss },
                                  series(labels.validation, Theme.series[1]) { $0.validationLoss }].compactMap { $0 },
                         marker: marker, integerX: true)
    }

    /// The right panel: validation AUC and accuracy on a fixed 0…1 scale, so runs compare at a glance.
    /// Accuracy is drawn first and AUC dashed on top of it, so where the two are equal the AUC
    /// line still shows (as dashes over the accuracy line) instead of hiding under it.
    public var metricsChart: LineChart {
        return LineChart(title: labels.validationTitle, xTitle: labels.epoch, yTitle: labels.scoreAxis,
                         series: [series(labels.accuracy, Theme.series[3]) { $0.validationAccuracy },
                                  series(labels.auc, Theme.series[2], dashed: true) { $0.validationAUC }].compactMap { $0 },
                         marker: marker, yDomain: 0...1, integerX: true)
    }

    /// Frames of the two panels (one full-width panel without validation metrics).
    public var panelFrames: [Rect] {
        let inner = Rect(x: 0, y: 0, width: size.width, height: size.height).insetBy(dx: Theme.margin, dy: Theme.margin)
        guard hasValidation else { return [inner] }
        let gap = 40.0, w = (inner.width - gap) / 2
        return [Rect(x: inner.x, y: inner.y, width: w, height: inner.height),
                Rect(x: inner.x + w + gap, y: inner.y, width: w, height: inner.height)]
    }

    public func render(in canvas: Canvas) {
        let frames = panelFrames
        lossChart.draw(on: canvas, frame: frames[0])
        if frames.count > 1 { metricsChart.draw(on: canvas, frame: frames[1]) }
    }
}
