import ArgumentParser
import CoverAnalysis
import Networks

/// The `train` options that make a `TrainingConfig`: each flag's default is the config's own, and
/// `config` is the one place that says which flag sets which setting.
struct TrainingOptions: ParsableArguments {
    private static let defaults = TrainingConfig()

    @Option(name: .long, help: "What is trained: head (frozen backbone, cached embeddings), partial or full.")
    var mode = defaults.mode

    @Option(name: .long, help: ArgumentHelp("Partial mode: how many of the backbone's last blocks learn (default 2).", valueName: "N"))
    var trainableBlocks: Int?

    @Flag(name: .long, help: "Full mode: BatchNorm keeps its running statistics (γ and β still learn).")
    var freezeBn = defaults.freezeBatchNorm

    @Flag(name: .long, help: "Partial/full modes: mirror half the training covers (mirrors their text).")
    var hflip = defaults.horizontalFlip

    @Flag(name: .long, help: "Partial/full modes: no crops or colour jitter.")
    var noAugment = !defaults.augment

    @Option(name: .long, help: "Epochs.")
    var epochs = defaults.epochs

    @Option(name: .long, help: "Learning rate.")
    var lr = defaults.learningRate

    @Option(name: .long, help: "Minibatch size.")
    var batch = defaults.batchSize

    @Option(name: .long, help: "Optimiser: adam, adamw or sgd.")
    var optimizer = defaults.optimizer

    @Option(name: .long, help: "Weight decay (L2 for adam/sgd, decoupled for adamw).")
    var weightDecay = defaults.weightDecay

    @Flag(name: .long, help: "Cosine learning-rate schedule over the epochs (default: constant).")
    var cosine = false

    @Option(name: .long, help: ArgumentHelp(
        "Epochs of linear learning-rate warm-up from lr/3 (PyTorch's LinearLR), before the constant or cosine schedule.",
        valueName: "N"))
    var warmup = defaults.schedule.warmupSteps

    @Option(name: .long, help: ArgumentHelp("Clip each step's gradient to this L2 norm (clip_grad_norm_).", valueName: "MAX"))
    var clipNorm: Double?

    @Option(name: .long, help: "Share of each class held out for validation (ignored with --val).")
    var valSplit = defaults.validationSplit

    @Option(name: .long, help: "Seed for the split, initialisation and shuffling.")
    var seed = defaults.seed

    @Option(name: .long, help: "Stop after this many epochs without a better validation AUC.")
    var patience: Int?

    @Flag(name: .long, help: ArgumentHelp(
        "Start from --model's own one-logit head (e.g. imported from the PyTorch recipe) instead of a fresh one."))
    var keepHead = defaults.keepHead

    /// Bad values are usage errors (exit 64) naming the flag, found before any cover is read;
    /// `TrainingConfig.validate` decides what is bad.
    func validate() throws {
        do { try config.validate() } catch let error as TrainingConfigError { throw ValidationError(error.usage) }
    }

    /// The configuration these flags describe (the rest at its defaults).
    var config: TrainingConfig {
        var config = Self.defaults
        config.mode = mode
        config.trainableBlocks = trainableBlocks
        config.freezeBatchNorm = freezeBn
        config.horizontalFlip = hflip
        config.augment = !noAugment
        config.epochs = epochs
        config.learningRate = lr
        config.batchSize = batch
        config.optimizer = optimizer
        config.weightDecay = weightDecay
        config.schedule = LearningRateSchedule(shape: cosine ? .cosine : .constant, warmupSteps: warmup)
        config.gradientClipNorm = clipNorm
        config.validationSplit = valSplit
        config.seed = seed
        config.earlyStoppingPatience = patience
        config.keepHead = keepHead
        return config
    }
}
