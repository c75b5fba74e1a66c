import Networks
import Support
import Tensors

/// Partial or full fine-tuning one epoch at a time, holding everything a checkpoint needs to
/// continue a run exactly: the model (backbone parameters, BatchNorm running statistics, head),
/// the optimiser, the random generator, the history and the best epoch's learning state.
///
/// Everything random is drawn on the caller's thread from `generator` in a fixed order per epoch
/// (the shuffle, the epoch's augmentation seed, then each minibatch's dropout masks), so the same
/// seed, data and thread count give the same weights whether or not the run was resumed.
public struct FineTuneSession<Network: TrainableBackbone>: EpochHistory, Sendable {
    public var config: TrainingConfig
    public var model: FineTuningModel<Network>
    public var optimizer: any Optimizer
    public var generator: SeededGenerator
    public var history: [EpochMetrics] = []
    public var best: HeadTrainingSession.Best?
    /// `learningState()` after epoch `best.epoch`.
    public var bestState: StateDict?
    public var stoppedEarly = false

    /// Dropout before the head while fine-tuning: EfficientNet-Lite0's own 0.2; torchvision's ResNet18 has none.
    public static func dropoutRate(_ architecture: ModelArchitecture) -> Float {
        architecture == .efficientNetLite0 ? 0.2 : 0
    }

    /// A fresh run from the base model's backbone tensors; the head is initialised from
    /// `config.seed`, or is `start` when given (drawn either way, as in `HeadTrainingSession`).
    public init(config: TrainingConfig, backbone: StateDict, architecture: ModelArchitecture, start: Linear? = nil) throws {
        try config.validate()
        self.config = config
        generator = SeededGenerator(seed: config.seed)
        let path = ModulePath(architecture.classifierPrefix)
        var head = Linear(inFeatures: architecture.embeddingDimension, outFeatures: 1, path: path, generator: &generator)
        if let start { head = Linear(weight: start.weight.value, bias: start.bias.value, path: path) }
        model = try FineTuningModel(stateDict: backbone, head: head, mode: config.fineTuneMode(for: architecture),
                                    dropoutRate: Self.dropoutRate(architecture))
        optimizer = config.makeOptimizer()
    }

    /// A run restored from a checkpoint's parts.
    init(config: TrainingConfig, model: FineTuningModel<Network>, optimizer: any Optimizer, generator: SeededGenerator,
         history: [EpochMetrics], best: HeadTrainingSession.Best?, bestState: StateDict?, stoppedEarly: Bool) {
        self.config = config
        self.model = model
        self.optimizer = optimizer
        self.generator = generator
        self.history = history
        self.best = best
        self.bestState = bestState
        self.stoppedEarly = stoppedEarly
    }


    /// What training changes: the trainable backbone parameters, every BatchNorm running statistic
    /// and the head, by PyTorch name. The frozen rest is the base model's.
    public func learningState() -> StateDict {
        var state = StateDict(source: "fine-tuning state")
        for p in model.backbone.parameters where p.isTrainable { state[p.name] = StoredTensor(p.value) }
        for b in model.backbone.buffers { state[b.name] = StoredTensor(b.value) }
        for p in model.head.parameters { state[p.name] = StoredTensor(p.value) }
        return state
    }

    /// `model` with `state` (a `learningState()`) put back and refolded.
    public static func model(_ model: FineTuningModel<Network>, with state: StateDict) throws -> FineTuningModel<Network> {
        var restored = model
        try restored.load(state)
        return restored
    }

    /// The model to keep: the best validation epoch's, or the last one without validation data.
    public func keptModel() throws -> FineTuningModel<Network> {
        guard let bestState else { return model }
        return try Self.model(model, with: bestState)
    }

    /// One pass over `training` in a seeded order (one optimiser step per minibatch), then validation.
    /// - Parameter step: after each minibatch: batches done, batches in the epoch, mean training loss so far.
    @discardableResult
    mutating func runEpoch(training: FineTuneFeed, validation: FineTuneFeed?, compute: ComputeContext,
                           step: ((Int, Int, Double) -> Void)? = nil) throws -> EpochMetrics {
        let epoch = history.count + 1
        let positiveWeight = config.positiveWeight.map { Float($0) }
        let loss = BCEWithLogits(positiveWeight: positiveWeight)
        optimizer.learningRate = config.effectiveSchedule.learningRate(at: epoch - 1, base: config.learningRate)
        // The backbone's rate follows the schedule in proportion to the head's (PyTorch's parameter groups).
        let backboneShare = config.backboneLearningRate.map { $0 / config.learningRate } ?? 1
        let order = generator.permutation(training.count)
        let augmentationSeed = generator.next()
        let (count, take) = training.batches(order: order, batchSize: config.batchSize, seed: augmentationSeed)
        let labels = training.labels
        var seenLogits: [Float] = [], seenLabels: [Float] = [], lossSum = 0.0
        for index in 0..<count {
            let rows = order[index * config.batchSize ..< min((index + 1) * config.batchSize, order.count)]
            let targets = Tensor(shape: [rows.count, 1], storage: rows.map { labels[$0] })   // [b, 1]
            let x = try take(index)
            let result = Self.step(&model, &optimizer, &generator, x, frozen: training.cache != nil, targets: targets,
                                   loss: loss, clipNorm: config.gradientClipNorm, backboneShare: backboneShare, compute: compute)
            seenLogits += result.logits.storage
            seenLabels += targets.storage
            lossSum += result.loss * Double(rows.count)
            step?(index + 1, count, lossSum / Double(seenLabels.count))
        }
        model.refoldIfStale()   // the steps left the inference path behind (see `step`)
        let validationMetrics = try validation.map {
            BinaryClassificationMetrics(logits: try $0.logits(model, compute: compute), labels: $0.labels, positiveWeight: positiveWeight)
        }
        let metrics = EpochMetrics(epoch: epoch, learningRate: optimizer.learningRate,
                                   training: BinaryClassificationMetrics(logits: seenLogits, labels: seenLabels,
                                                                         positiveWeight: positiveWeight),
                                   validation: validationMetrics)
        history.append(metrics)
        if let v = validationMetrics {
            if HeadTrainingSession.improves(v, on: best) {
                best = HeadTrainingSession.Best(epoch: epoch, rocAUC: v.rocAUC, loss: v.loss)
                bestState = learningState()
            }
            if let patience = config.earlyStoppingPatience, let b = best, epoch - b.epoch >= patience, epoch < config.epochs {
                stoppedEarly = true
            }
        }
        return metrics
    }

    /// Forward in training mode, backward, clipping, one optimiser step (the backbone's parameters
    /// at `backboneShare` × the head's learning rate). The inference path is refolded once, after
    /// the epoch's last step (`runEpoch`).
    private static func step(_ model: inout FineTuningModel<Network>, _ optimizer: inout any Optimizer,
                             _ generator: inout SeededGenerator, _ x: Tensor, frozen: Bool, targets: Tensor,
                             loss: BCEWithLogits, clipNorm: Double?, backboneShare: Double,
                             compute: ComputeContext) -> FineTuningModel<Network>.Step {
        model.zeroGradients()
        let result = model.forwardBackward(x, frozen: frozen, targets: targets, loss: loss, generator: &generator, compute: compute)
        if let maxNorm = clipNorm { model.clipGradientNorm(maxNorm: maxNorm) }
        let headRate = optimizer.learningRate
        let headNames = Set(model.head.parameters.map(\.name))
        model.updateParameters(refold: false) {
            optimizer.learningRate = headNames.contains($0.name) ? headRate : headRate * backboneShare
            optimizer.update(&$0, compute: compute)
        }
        optimizer.learningRate = headRate
        return result
    }
}
