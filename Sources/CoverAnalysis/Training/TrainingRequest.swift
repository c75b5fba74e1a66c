import Foundation
import Imaging

/// What `coverlens train` was asked to do: where the labelled covers are, the settings, and where
/// the model, log and checkpoint go.
public struct TrainingRequest: Sendable {
    public var data: LabelledFolders
    /// A separate labelled validation set (`--val DIR`, class folders); nil = a stratified split of `data`.
    public var validationData: LabelledFolders?
    public var config: TrainingConfig
    /// Folder for `model.safetensors`, `training-log.json` and `checkpoint.safetensors`.
    public var output: URL
    /// Continue from `checkpoint.safetensors` in `output` when it is there.
    public var resume = false
    /// Stop after this many epochs have been done in total, leaving the checkpoint to resume
    /// from (an interruption on purpose, e.g. a time budget); nil = run to the end.
    public var stopAfterEpochs: Int?
    /// Sets the loss's positive weight to others/popular of the training set (when the config has
    /// none), so rare popular covers count as much as the rest.
    public var balancePositives = false
    /// Settings left to the data (`TrainingPlan`); empty = `config` as it is.
    public var automatic: AutomaticSettings = []
    /// Where `--mode auto` switches to fine-tuning and how it fine-tunes.
    public var planRule = TrainingPlan.Rule()
    /// `--budget MINUTES` (`TrainingBudget`); nil = no cap, or the one the checkpoint recorded on `resume`.
    public var budgetMinutes: Double?
    public var followSymlinks = false
    public var limits: DecodeLimits = .default

    public init(data: LabelledFolders, output: URL, config: TrainingConfig = TrainingConfig()) {
        self.data = data
        self.output = output
        self.config = config
    }

    /// Checks the settings and that no input folder is another or lies inside another
    /// (`InputOverlap`), before anything is read.
    public func validate() throws {
        try config.validate()
        if case .collections(let popular, _) = data, config.mode != .head {
            throw TrainingConfigError(setting: "mode", reason: "\(config.mode.rawValue) needs the cover files to decode, and collection:\(popular) "
                                      + "holds embeddings only: train the head (--mode head, which --mode auto chooses for collections) or give the folders")
        }
        if let b = budgetMinutes, !(b > 0 && b.isFinite) {
            throw TrainingConfigError(setting: "budget", reason: "must be a positive number of minutes, got \(b)")
        }
        try InputOverlap.check(inputFolders)
    }

    /// The input folders with the flag that names each.
    public var inputFolders: [(flag: String, url: URL)] {
        let training: [(flag: String, url: URL)] = switch data {
        case .classFolders(let root, _, _): [("DATA", root)]
        case .pair(let popular, let other): [("--popular", popular), ("--other", other)]
        case .collections: []
        }
        return training + (validationData?.roots.map { ("--val", $0) } ?? [])
    }

    public var modelFile: URL { output.appendingPathComponent("model.safetensors") }
    public var logFile: URL { output.appendingPathComponent("training-log.json") }
    public var checkpointFile: URL { output.appendingPathComponent("checkpoint.safetensors") }
}

/// What a training run produced.
public struct TrainingOutcome: Sendable {
    /// nil when the run stopped before its last epoch (`stopAfterEpochs`); resume to get the model.
    public var modelFile: URL?
    public var logFile: URL
    public var checkpointFile: URL
    public var log: TrainingLog
    /// 1-based epoch whose head the model holds.
    public var bestEpoch: Int
    /// Validation metrics of that epoch; nil without validation data.
    public var validation: BinaryClassificationMetrics?
    public var classCounts: [LabelledEmbeddings.ClassCount]
    public var trainingCount: Int
    public var validationCount: Int
    public var skipped: [SkippedFile]
    /// The epoch the checkpoint held when the run resumed; nil for a fresh run.
    public var resumedFromEpoch: Int?
    /// What was chosen from the data and why (`TrainingPlan`, `WeightDecaySearch`), one line each.
    public var choices: [String] = []
    /// True when `--budget` ended the run before its last epoch (the model is written all the same).
    public var stoppedForBudget = false
    public var finished: Bool { modelFile != nil }
}

/// What a training run reports while it works.
public enum TrainingProgress: Sendable {
    /// Preparing covers: phase such as "embed train popular" (head mode, from the cache when known),
    /// "check train popular" (fine-tuning: read and decode once), "frozen layers (train)"; done, total.
    case scanning(phase: String, done: Int, total: Int)
    /// Data ready: covers per class folder and the sizes of the two sets.
    case data(classCounts: [LabelledEmbeddings.ClassCount], training: Int, validation: Int, resumedFromEpoch: Int?)
    /// A fine-tuning minibatch finished: epoch (1-based) of `epochs`, batches done of `batches`,
    /// the epoch's mean training loss so far.
    case step(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double)
    /// One epoch finished (of `total`), with its wall-clock time.
    case epoch(EpochMetrics, total: Int, seconds: Double)
    /// A setting chosen from the data, and why ("mode head: 96 training covers, …").
    case choice(String)
    /// `--budget` leaves no time for another epoch: the run ends after `epochsDone`.
    case budgetReached(epochsDone: Int, minutes: Double)
}
