import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Networks
import Support

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the popularity head on labelled covers.",
        discussion: """
            DATA holds one sub-folder per class: popular/ is the positive class (--positive changes it), every \
            other sub-folder counts as not popular. Or give --popular DIR --other DIR. A stratified, seeded share \
            of each class (--val-split) is held out for validation, or --val DIR gives a separate labelled set.

            --mode head (the default) freezes the backbone: every cover is embedded once and cached (--cache), so a \
            second run recomputes nothing and the head trains in seconds. --mode partial also trains the backbone's \
            last --trainable-blocks blocks, --mode full trains everything (--freeze-bn keeps BatchNorm's running \
            statistics); both decode every cover every epoch on a background thread and augment the training covers \
            (small random resized crops, colour jitter; --hflip adds mirroring, --no-augment turns it off, which in \
            partial mode lets the frozen layers run once for the whole run). Head mode uses the cached, un-augmented \
            embeddings. Every mode starts from --model's backbone and a fresh head drawn from --seed; --keep-head \
            starts from --model's own one-logit head instead (one imported from the PyTorch recipe, or trained before).

            Writes to --out (default Output/train/): model.safetensors (the base model's backbone plus the trained \
            head, with the training settings and validation metrics in its metadata; score with \
            `coverlens score --model OUT/model.safetensors`), training-log.json (every epoch's losses, accuracy, AUC, \
            precision, recall, F1, confusion matrix), and checkpoint.safetensors (written atomically after every \
            epoch; --resume continues an interrupted run). The kept head is the epoch with the best validation AUC. \
            The same seed, data and --threads give a byte-identical model.

            Example:
              coverlens train --popular Examples/popular --other Examples/other --epochs 20 --seed 1

            \(ExitStatus.help)
            """)

    @Argument(help: ArgumentHelp("Folder with one sub-folder per class.", valueName: "DATA"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Folder of popular covers (instead of DATA).", valueName: "DIR"))
    var popular: String?

    @Option(name: .long, help: ArgumentHelp("Folder of other covers (with --popular).", valueName: "DIR"))
    var other: String?

    @Option(name: .long, help: ArgumentHelp("Name of DATA's positive class folder.", valueName: "NAME"))
    var positive: String = "popular"

    @Option(name: .long, help: ArgumentHelp("Separate validation set with the same class folders as DATA.", valueName: "DIR"))
    var val: String?

    @Option(name: .long, help: "What is trained: head (frozen backbone, cached embeddings), partial or full.")
    var mode: TrainingConfig.Mode = .head

    @Option(name: .long, help: ArgumentHelp("Partial mode: how many of the backbone's last blocks learn (default 2).", valueName: "N"))
    var trainableBlocks: Int?

    @Flag(name: .long, help: "Full mode: BatchNorm keeps its running statistics (γ and β still learn).")
    var freezeBn = false

    @Flag(name: .long, help: "Partial/full modes: mirror half the training covers (mirrors their text).")
    var hflip = false

    @Flag(name: .long, help: "Partial/full modes: no crops or colour jitter.")
    var noAugment = false

    @Option(name: .long, help: "Epochs.")
    var epochs: Int = TrainingConfig().epochs

    @Option(name: .long, help: "Learning rate.")
    var lr: Double = TrainingConfig().learningRate

    @Option(name: .long, help: "Minibatch size.")
    var batch: Int = TrainingConfig().batchSize

    @Option(name: .long, help: "Optimiser: adam, adamw or sgd.")
    var optimizer: TrainingConfig.OptimizerKind = TrainingConfig().optimizer

    @Option(name: .long, help: "Weight decay (L2 for adam/sgd, decoupled for adamw).")
    var weightDecay: Double = 0

    @Flag(name: .long, help: "Cosine learning-rate schedule over the epochs (default: constant).")
    var cosine = false

    @Option(name: .long, help: ArgumentHelp(
        "Epochs of linear learning-rate warm-up from lr/3 (PyTorch's LinearLR), before the constant or cosine schedule.",
        valueName: "N"))
    var warmup: Int = 0

    @Option(name: .long, help: ArgumentHelp("Clip each step's gradient to this L2 norm (clip_grad_norm_).", valueName: "MAX"))
    var clipNorm: Double?

    @Option(name: .long, help: "Share of each class held out for validation (ignored with --val).")
    var valSplit: Double = TrainingConfig().validationSplit

    @Option(name: .long, help: "Seed for the split, initialisation and shuffling.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Stop after this many epochs without a better validation AUC.")
    var patience: Int?

    @Flag(name: .long, help: ArgumentHelp(
        "Start from --model's own one-logit head (e.g. imported from the PyTorch recipe) instead of a fresh one."))
    var keepHead = false

    @Flag(name: .long, help: "Weight popular covers by others/popular in the loss (for unbalanced data).")
    var balance = false

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String = "Output/train"

    @Flag(name: .long, help: "Continue from OUT/checkpoint.safetensors (same data and settings; --epochs may grow).")
    var resume = false

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        switch (data, popular, other) {
        case (_?, nil, nil), (nil, _?, _?): break
        case (nil, nil, nil): throw ValidationError("give DATA (one sub-folder per class) or --popular DIR --other DIR")
        case (_?, _, _): throw ValidationError("give either DATA or --popular/--other, not both")
        default: throw ValidationError("--popular and --other go together")
        }
        guard warmup >= 0, warmup < epochs else {
            throw ValidationError("--warmup must be at least 0 and fewer than --epochs (\(epochs)), got \(warmup)")
        }
    }

    func run() throws {
        do {
            if let threads = modelOptions.threads { Parallelism.workers = max(1, threads) }
            let layout: LabelledFolders = data.map { .classFolders(URL(fileURLWithPath: $0), positive: positive) }
                ?? .pair(popular: URL(fileURLWithPath: popular ?? ""), other: URL(fileURLWithPath: other ?? ""))
            var config = TrainingConfig()
            config.mode = mode
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
            config.trainableBlocks = trainableBlocks
            config.freezeBatchNorm = freezeBn
            config.augment = !noAugment
            config.horizontalFlip = hflip
            config.keepHead = keepHead
            try config.validate()
            var request = TrainingRequest(data: layout, output: URL(fileURLWithPath: out), config: config)
            request.validationData = val.map { .classFolders(URL(fileURLWithPath: $0), positive: positive) }
            request.resume = resume
            request.followSymlinks = inputOptions.followSymlinks
            request.limits = inputOptions.limits
            if balance { request.balancePositives = true }

            let trainer = try CoverTrainer(baseModelFile: modelOptions.url, store: try cacheOptions.open(),
                                           colourManagement: modelOptions.colourManagement.map { $0 == .on })
            let bar = ProgressBar()
            let outcome = try trainer.train(request) { event in TrainingReport.show(event, bar: bar) }
            TrainingReport.summary(outcome)
            for s in outcome.skipped { printError("skipped \(s.folder)/\(s.file): \(s.reason)") }
            if !outcome.skipped.isEmpty { throw ExitCode(ExitStatus.skippedFiles) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

extension TrainingConfig.Mode: ExpressibleByArgument {}
extension TrainingConfig.OptimizerKind: ExpressibleByArgument {}

/// What `train` prints: class counts, a progress bar per epoch with loss and ETA, the result.
enum TrainingReport {
    static func show(_ event: TrainingProgress, bar: ProgressBar) {
        switch event {
        case .scanning(let phase, let done, let total):
            bar.update(phase, done, total)
        case .data(let counts, let training, let validation, let resumed):
            let classes = counts.map { "\($0.name)\($0.positive ? " (positive)" : ""): \($0.count)" }.joined(separator: ", ")
            print("covers: \(classes); training \(training), validation \(validation)")
            if let resumed { print("resuming after epoch \(resumed)") }
        case .step(let epoch, let epochs, let batch, let batches, let loss):
            bar.update("epoch \(epoch)/\(epochs)", batch, batches, detail: String(format: "loss %.4f", loss))
        case .epoch(let m, let total, _):
            var detail = String(format: "loss %.4f", m.training.loss)
            if let v = m.validation {
                detail += String(format: " val loss %.4f acc %.3f", v.loss, v.accuracy)
                if let auc = v.rocAUC { detail += String(format: " AUC %.3f", auc) }
            }
            bar.update("train", m.epoch, total, detail: detail)
        }
    }

    static func summary(_ outcome: TrainingOutcome) {
        print("")
        print("epoch  train loss  val loss  accuracy  AUC     precision  recall  F1")
        for e in outcome.log.epochs {
            func f(_ x: Double?, _ width: Int) -> String {
                (x.map { String(format: "%.4f", $0) } ?? "-").padding(toLength: width, withPad: " ", startingAt: 0)
            }
            print(String(e.epoch).padding(toLength: 7, withPad: " ", startingAt: 0) + f(e.trainLoss, 12) + f(e.validationLoss, 10)
                  + f(e.validationAccuracy, 10) + f(e.validationAUC, 8) + f(e.precision, 11) + f(e.recall, 8) + f(e.f1, 6)
                  + (e.epoch == outcome.bestEpoch ? "  ← kept" : ""))
        }
        if let v = outcome.validation {
            let c = v.confusion
            print("kept epoch \(outcome.bestEpoch): validation AUC \(v.rocAUC.map { String(format: "%.4f", $0) } ?? "undefined"), "
                  + String(format: "accuracy %.4f", v.accuracy) + " (TP \(c.truePositives), FP \(c.falsePositives), TN \(c.trueNegatives), FN \(c.falseNegatives))")
        }
        if let model = outcome.modelFile {
            print("model: \(model.path)")
        } else {
            print("stopped after epoch \(outcome.log.epochs.count); continue with --resume")
        }
        print("log: \(outcome.logFile.path)")
    }
}
