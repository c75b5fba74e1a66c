import Imaging
import Networks

/// Everything that decides a training run, recorded in the model's metadata so a run can be
/// repeated: the same configuration (seed included) gives a byte-identical model.
///
/// Decoding fills missing keys with the defaults below, so a hand-written JSON file may name only
/// what it changes.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// What is trained: only the head on cached embeddings, the head plus the last backbone stage, or everything.
    public enum Mode: String, Codable, Sendable, CaseIterable { case head, partial, full }
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable { case adam, adamw, sgd }

    public var mode: Mode = .head
    public var epochs: Int = 20
    public var learningRate: Double = 1e-3
    /// Partial and full modes: the learning rate of the backbone's parameters (the head keeps
    /// `learningRate`), following the schedule in proportion; nil = `learningRate`. Pretrained
    /// layers want smaller steps than a fresh head (on real covers, full fine-tuning at 1e-4 was
    /// still improving after three epochs where partial at 1e-3 overfitted after one: README).
    public var backboneLearningRate: Double?
    public var batchSize: Int = 32
    /// L2 penalty for Adam and SGD, decoupled decay for AdamW.
    public var weightDecay: Double = 0
    public var optimizer: OptimizerKind = .adam
    /// SGD only.
    public var momentum: Double = 0.9
    /// Stepped once per epoch. A cosine schedule with `totalSteps == 0` spans all epochs.
    public var schedule: LearningRateSchedule = .constant
    /// BCE `pos_weight`; nil = 1. Set it to negatives/positives when popular covers are rare.
    public var positiveWeight: Double?
    public var seed: UInt64 = 0
    /// Share of each class held out for validation when no separate validation set is given.
    public var validationSplit: Double = 0.2
    /// Stop after this many epochs without a lower validation loss; nil = run all epochs.
    public var earlyStoppingPatience: Int?
    /// clip_grad_norm_ max norm per step; nil = no clipping.
    public var gradientClipNorm: Double?
    /// Partial mode: how many of the backbone's last blocks learn; nil = the architecture's
    /// default (`defaultTrainableBlocks`).
    public var trainableBlocks: Int?
    /// Full mode: BatchNorm normalises with its running statistics and leaves them alone (γ, β still learn).
    public var freezeBatchNorm = false
    /// Partial and full modes: small random resized crops and colour jitter (`CoverAugmentation`).
    /// Off in partial mode lets the frozen layers' output be computed once for the whole run.
    public var augment = true
    /// With `augment`: mirror half the covers (off by default: it mirrors the title).
    public var horizontalFlip = false
    /// Start from the base model's own one-logit head (one imported from the PyTorch recipe, or
    /// trained before) instead of a fresh one drawn from `seed`.
    public var keepHead = false

    public init() {}

    /// Blocks that learn in partial mode when `trainableBlocks` is nil: EfficientNet-Lite0's last
    /// 2 of 16 MBConv blocks (plus its 1×1 head convolution), ResNet18's last 2 of 8 BasicBlocks (layer4).
    public static func defaultTrainableBlocks(for architecture: ModelArchitecture) -> Int {
        switch architecture {
        case .efficientNetLite0: 2
        case .resnet18: 2
        }
    }

    /// What the backbone does in this configuration's mode.
    public func fineTuneMode(for architecture: ModelArchitecture) -> FineTuneMode {
        switch mode {
        case .head: .head
        case .partial: .partial(lastBlocks: trainableBlocks ?? Self.defaultTrainableBlocks(for: architecture))
        case .full: .full(freezeBatchNorm: freezeBatchNorm)
        }
    }

    /// The settings as a run in this mode uses them, which is what model files, checkpoints and
    /// logs record: head mode trains on cached embeddings of un-augmented covers, so it augments
    /// nothing whatever `augment` and `horizontalFlip` say. Files written before this recorded
    /// `augment: true` for head mode; they still read, and a resume compares settings in this form.
    public var asRun: TrainingConfig {
        guard mode == .head else { return self }
        var config = self
        config.augment = false
        config.horizontalFlip = false
        config.backboneLearningRate = nil
        return config
    }

    /// The augmentation partial and full modes apply to training covers; nil = none.
    public var augmentation: CoverAugmentation? {
        guard augment, mode != .head else { return nil }
        var a = CoverAugmentation()
        a.horizontalFlip = horizontalFlip
        return a
    }

    /// Rejects values that would make training meaningless, naming the setting.
    public func validate() throws {
        func fail(_ setting: String, _ reason: String) -> TrainingConfigError {
            TrainingConfigError(setting: setting, reason: reason)
        }
        guard epochs >= 1 else { throw fail("epochs", "must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw fail("batch size", "must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw fail("learning rate", "must be positive, got \(learningRate)") }
        if let b = backboneLearningRate, !(b > 0 && b.isFinite) { throw fail("backbone learning rate", "must be positive, got \(b)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw fail("weight decay", "must be ≥ 0, got \(weightDecay)") }
        guard (0..<1).contains(validationSplit) else { throw fail("validation split", "must be in [0, 1), got \(validationSplit)") }
        if let w = positiveWeight, !(w > 0 && w.isFinite) { throw fail("positive weight", "must be positive, got \(w)") }
        if let p = earlyStoppingPatience, p < 1 { throw fail("early-stopping patience", "must be at least 1, got \(p)") }
        if let c = gradientClipNorm, !(c > 0) { throw fail("gradient clip norm", "must be positive, got \(c)") }
        if let k = trainableBlocks, k < 1 { throw fail("trainable blocks", "must be at least 1, got \(k)") }
        let warmup = schedule.warmupSteps
        guard warmup >= 0, warmup < epochs else {
            throw fail("warm-up", "must be at least 0 and fewer than the epochs (\(epochs)), got \(warmup)")
        }
    }

    /// The optimiser this configuration asks for.
    public func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case .adam: Adam(learningRate: learningRate, weightDecay: weightDecay)
        case .adamw: Adam.adamW(learningRate: learningRate, weightDecay: weightDecay)
        case .sgd: SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        }
    }

    /// The schedule with a cosine's length filled in from `epochs` when left at 0.
    public var effectiveSchedule: LearningRateSchedule {
        var s = schedule
        if s.shape == .cosine && s.totalSteps == 0 { s.totalSteps = epochs }
        return s
    }

    private enum CodingKeys: String, CodingKey {
        case mode, epochs, learningRate, backboneLearningRate, batchSize, weightDecay, optimizer, momentum, schedule
        case positiveWeight, seed, validationSplit, earlyStoppingPatience, gradientClipNorm
        case trainableBlocks, freezeBatchNorm, augment, horizontalFlip, keepHead
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? d.mode
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        backboneLearningRate = try c.decodeIfPresent(Double.self, forKey: .backboneLearningRate)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer
        momentum = try c.decodeIfPresent(Double.self, forKey: .momentum) ?? d.momentum
        schedule = try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? d.schedule
        positiveWeight = try c.decodeIfPresent(Double.self, forKey: .positiveWeight)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        validationSplit = try c.decodeIfPresent(Double.self, forKey: .validationSplit) ?? d.validationSplit
        earlyStoppingPatience = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
        gradientClipNorm = try c.decodeIfPresent(Double.self, forKey: .gradientClipNorm)
        trainableBlocks = try c.decodeIfPresent(Int.self, forKey: .trainableBlocks)
        freezeBatchNorm = try c.decodeIfPresent(Bool.self, forKey: .freezeBatchNorm) ?? d.freezeBatchNorm
        augment = try c.decodeIfPresent(Bool.self, forKey: .augment) ?? d.augment
        horizontalFlip = try c.decodeIfPresent(Bool.self, forKey: .horizontalFlip) ?? d.horizontalFlip
        keepHead = try c.decodeIfPresent(Bool.self, forKey: .keepHead) ?? d.keepHead
    }
}

/// A training setting that cannot work, with the setting named as a user would say it.
public struct TrainingConfigError: Error, CustomStringConvertible, Equatable {
    public var setting: String
    public var reason: String
    public var description: String { "training \(setting) \(reason)" }

    /// The `coverlens train` flag that sets `setting`, so a bad value is reported as the user typed it.
    public var flag: String? {
        ["epochs": "--epochs", "batch size": "--batch", "learning rate": "--lr", "backbone learning rate": "--backbone-lr", "weight decay": "--weight-decay",
         "validation split": "--val-split", "early-stopping patience": "--patience", "gradient clip norm": "--clip-norm",
         "trainable blocks": "--trainable-blocks", "warm-up": "--warmup", "mode": "--mode", "budget": "--budget"][setting]
    }

    /// The message naming the flag ("--val-split must be in [0, 1), got 1.5"), else `description`.
    public var usage: String { flag.map { "\($0) \(reason)" } ?? description }
}
