import Networks
import Support
import Tensors

/// Head-mode training one epoch at a time, holding everything a checkpoint needs to continue a run
/// exactly: the head, the optimiser (moments and step counts), the random generator (the next
/// epoch's shuffle), the history and the best head so far.
///
/// `HeadTrainer.train` runs a session to the end in memory; `CoverTrainer` runs one epoch at a
/// time and writes a checkpoint after each, so a killed run resumes with the same numbers it would
/// have produced uninterrupted.
public struct HeadTrainingSession: EpochHistory, Sendable {
    /// The head kept as the result: the best validation epoch so far.
    public struct Best: Codable, Equatable, Sendable {
        /// 1-based.
        public var epoch: Int
        public var rocAUC: Double?
        public var loss: Double
    }

    /// Resuming may raise `epochs` or change the patience; everything else must stay as it was.
    public var config: TrainingConfig
    public var head: Linear
    public var optimizer: any Optimizer
    /// Draws each epoch's shuffle; its state after the last finished epoch is what a resume restores.
    public var generator: SeededGenerator
    public var history: [EpochMetrics] = []
    public var best: Best?
    /// The head of epoch `best.epoch`.
    public var bestHead: Linear?
    public var stoppedEarly = false

    /// A fresh run: the head initialised from `config.seed` (PyTorch's nn.Linear default), or
    /// `start` (weight [1, D], bias [1]) when given. The initialisation is drawn either way, so the
    /// shuffles that follow are the same with and without a starting head.
    /// - Parameter inputs: embedding length D.
    public init(config: TrainingConfig, inputs: Int, start: Linear? = nil) throws {
        try config.validate()
        self.config = config
        generator = SeededGenerator(seed: config.seed)
        head = Linear(inFeatures: inputs, outFeatures: 1, path: ModulePath("fc"), generator: &generator)
        if let start { head = Linear(weight: start.weight.value, bias: start.bias.value, path: ModulePath("fc")) }
        optimizer = config.makeOptimizer()
    }

    /// A run restored from a checkpoint's parts.
    public init(config: TrainingConfig, head: Linear, optimizer: any Optimizer, generator: SeededGenerator,
                history: [EpochMetrics], best: Best?, bestHead: Linear?, stoppedEarly: Bool) {
        self.config = config
        self.head = head
        self.optimizer = optimizer
        self.generator = generator
        self.history = history
        self.best = best
        self.bestHead = bestHead
        self.stoppedEarly = stoppedEarly
    }


    /// The head to keep: the best validation epoch, or the last head without validation data.
    public var keptHead: Linear { bestHead ?? head }

    /// One pass over the training examples in a seeded order, then validation.
    /// features: [N, D]; labels: N values, 1 = popular.
    @discardableResult
    public mutating func runEpoch(features: Tensor, labels: [Float],
                                  validation: (features: Tensor, labels: [Float])?) -> EpochMetrics {
        let epoch = history.count + 1
        let positiveWeight = config.positiveWeight.map { Float($0) }
        optimizer.learningRate = config.effectiveSchedule.learningRate(at: epoch - 1, base: config.learningRate)
        let seen = Self.pass(&head, &optimizer, order: generator.permutation(features.shape[0]), features: features,
                             labels: labels, batchSize: config.batchSize,
                             loss: BCEWithLogits(positiveWeight: positiveWeight), clipNorm: config.gradientClipNorm)
        let validationMetrics = validation.map {
            BinaryClassificationMetrics(logits: head.forward($0.features).storage, labels: $0.labels, positiveWeight: positiveWeight)
        }
        let metrics = EpochMetrics(epoch: epoch, learningRate: optimizer.learningRate,
                                   training: BinaryClassificationMetrics(logits: seen.logits, labels: seen.labels,
                                                                         positiveWeight: positiveWeight),
                                   validation: validationMetrics)
        history.append(metrics)
        if let v = validationMetrics {
            if Self.improves(v, on: best) {
                best = Best(epoch: epoch, rocAUC: v.rocAUC, loss: v.loss)
                bestHead = head
            }
            if let patience = config.earlyStoppingPatience, let b = best, epoch - b.epoch >= patience, epoch < config.epochs {
                stoppedEarly = true
            }
        }
        return metrics
    }

    /// Higher validation AUC wins (the selection rule: ranking is what a publisher uses);
    /// at equal AUC (often 1.0 on easy data) a lower loss wins; without an AUC, loss alone decides.
    static func improves(_ v: BinaryClassificationMetrics, on best: Best?) -> Bool {
        guard let best else { return true }
        if let auc = v.rocAUC, let bestAUC = best.rocAUC, auc != bestAUC { return auc > bestAUC }
        return v.loss < best.loss
    }

    /// One optimiser step per minibatch over `order`. Returns each example's logit from its
    /// minibatch's forward pass, and its label.
    private static func pass(_ head: inout Linear, _ optimizer: inout any Optimizer, order: [Int],
                             features: Tensor, labels: [Float], batchSize: Int, loss: BCEWithLogits,
                             clipNorm: Double?) -> (logits: [Float], labels: [Float]) {
        var batch = Tensor(shape: [0, features.shape[1]])
        var seenLogits: [Float] = [], seenLabels: [Float] = []
        seenLogits.reserveCapacity(order.count)
        seenLabels.reserveCapacity(order.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let rows = order[start..<min(start + batchSize, order.count)]
            HeadTrainer.gatherRows(features, rows, into: &batch)                 // [b, D]
            let targets = Tensor(shape: [rows.count, 1], storage: rows.map { labels[$0] })

            head.zeroGradients()
            let logits = head.forward(batch)                                      // [b, 1]
            let (_, dLogits) = loss.lossAndGradient(logits: logits, targets: targets)
            head.backward(dLogits, input: batch, inputGradient: false)
            if let maxNorm = clipNorm { clipGradientNorm(&head, maxNorm: maxNorm) }
            head.updateParameters { optimizer.update(&$0) }
            seenLogits += logits.storage
            seenLabels += targets.storage
        }
        return (seenLogits, seenLabels)
    }
}
