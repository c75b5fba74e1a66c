import ArgumentParser
import CoverAnalysis
import Networks

/// What `--mode` accepts: a mode, or `auto` (the default) to let the data choose (`TrainingPlan`).
enum TrainingModeChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, head, partial, full
}

/// The `train` options that make a `TrainingConfig`: each flag's default is the config's own, and
/// `config` is the one place that says which flag sets which setting. Settings left out are
/// chosen from the data (`automatic`) in auto mode, and head mode's weight decay in head mode.
struct TrainingOptions: ParsableArguments {
    private static let defaults = TrainingConfig()

    @Option(name: .long, help: ArgumentHelp(
        "What is trained: auto (chosen from the number of training covers), head (frozen backbone, cached embeddings), partial or full."))
    var mode = TrainingModeChoice.auto

    @Option(name: .long, help: ArgumentHelp("Partial mode: how many of the backbone's last blocks learn (default 2).", valueName: "N"))
    var trainableBlocks: Int?

    @Flag(name: .long, help: "Full mode: BatchNorm keeps its running statistics (γ and β still learn).")
    var freezeBn = defaults.freezeBatchNorm

    @Flag(name: .long, help: "Partial/full modes: mirror half the training covers (mirrors their text).")
    var hflip = defaults.horizontalFlip

    @Flag(name: .long, help: "Partial/full modes: no crops or colour jitter.")
    var noAugment = !defaults.augment

    @Option(name: .long, help: ArgumentHelp("Epochs (default 20; in auto mode when fine-tuning, set from the data size).", valueName: "N"))
    var epochs: Int?

    @Option(name: .long, help: ArgumentHelp("Learning rate (default 0.001; the head's when fine-tuning).", valueName: "LR"))
    var lr: Double?

    @Option(name: .long, help: ArgumentHelp(
        "Partial/full modes: the backbone's learning rate (default: --lr; in auto mode a tenth of it).", valueName: "LR"))
    var backboneLr: Double?

    @Option(name: .long, help: "Minibatch size.")
    var batch = defaults.batchSize

    @Option(name: .long, help: "Optimiser: adam, adamw or sgd.")
    var optimizer = defaults.optimizer

    @Option(name: .long, help: ArgumentHelp(
        "Weight decay (L2 for adam/sgd, decoupled for adamw). Head mode without it: chosen by inner validation on the training covers; otherwise 0.",
        valueName: "WD"))
    var weightDecay: Double?

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

    @Option(name: .long, help: ArgumentHelp(
        "Stop after this many epochs without a better validation AUC (auto mode fine-tuning: 2; otherwise none).", valueName: "N"))
    var patience: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Cap the run at an epoch boundary after about this many minutes; the best epoch so far is kept. Recorded in the checkpoint: --resume gets what is left unless given --budget again.",
        valueName: "MINUTES"))
    var budget: Double?

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
        config.mode = TrainingConfig.Mode(rawValue: mode.rawValue) ?? .head
        config.trainableBlocks = trainableBlocks
        config.freezeBatchNorm = freezeBn
        config.horizontalFlip = hflip
        config.augment = !noAugment
        config.epochs = epochs ?? Self.defaults.epochs
        config.learningRate = lr ?? Self.defaults.learningRate
        config.backboneLearningRate = backboneLr
        config.batchSize = batch
        config.optimizer = optimizer
        config.weightDecay = weightDecay ?? Self.defaults.weightDecay
        config.schedule = LearningRateSchedule(shape: cosine ? .cosine : .constant, warmupSteps: warmup)
        config.gradientClipNorm = clipNorm
        config.validationSplit = valSplit
        config.seed = seed
        config.earlyStoppingPatience = patience
        config.keepHead = keepHead
        return config
    }

    /// The settings left to the data: the mode in auto mode, and every setting whose flag was not given.
    var automatic: AutomaticSettings {
        var automatic: AutomaticSettings = []
        if mode == .auto { automatic.insert(.mode) }
        if epochs == nil { automatic.insert(.epochs) }
        if lr == nil { automatic.insert(.learningRate) }
        if backboneLr == nil { automatic.insert(.backboneLearningRate) }
        if weightDecay == nil { automatic.insert(.weightDecay) }
        if patience == nil { automatic.insert(.patience) }
        return automatic
    }
}
