import Dispatch
import Foundation
import Imaging
import Networks
import Support
import Tensors

/// `coverlens train`: labelled folders in, a trained model file, its training log and a resumable
/// checkpoint out.
///
/// Head mode (the default): the backbone is frozen, so every cover is embedded once (decoding on a
/// background thread while the network runs, see `CoverScan`) and cached in the embedding store; a
/// second run over the same covers computes nothing and the head trains in seconds. Augmentation
/// does not apply here: the cached embeddings are of the un-augmented covers.
///
/// Partial and full modes (`CoverTrainer+FineTune.swift`) train backbone layers too: covers are
/// decoded and augmented every epoch on a background thread, and the model file holds the
/// fine-tuned backbone.
///
/// After every epoch the checkpoint is written atomically, then the log; the model file is written
/// when the run ends, with the best validation epoch's head (highest AUC, ties by lower loss).
/// Everything random comes from `config.seed`, so the same seed, data and thread count give a
/// byte-identical model file, whether or not the run was interrupted and resumed.
public struct CoverTrainer: Sendable {
    public var baseModel: CoverModel
    /// The file `baseModel` came from; its backbone tensors are copied into the trained model.
    public var baseModelFile: URL
    public var store: (any CoverStore)?
    /// Threads for the scan and the network (`ComputeContext`); the run sets it from `--threads`.
    public var compute: ComputeContext = .default
    /// See ``CoverScan/onCutShort``.
    public var onCutShort: (@Sendable (SkippedFile) -> Void)?

    /// `colourManagement`, when given, replaces the base model's setting; the trained model records it.
    public init(baseModelFile: URL, store: (any CoverStore)?, colourManagement: Bool? = nil) throws {
        self.baseModelFile = baseModelFile
        self.baseModel = try CoverModel.load(contentsOf: baseModelFile, colourManagement: colourManagement)
        self.store = store
    }

    public enum TrainerError: Error, CustomStringConvertible, Equatable {
        case architecture(String)
        case noHeadToKeep(model: String)

        public var description: String {
            switch self {
            case .architecture(let name): "the base model's architecture '\(name)' cannot be written as a CoverLens model"
            case .noHeadToKeep(let model):
                "\(model): has no one-logit head to keep (it has none, or ImageNet's classifier); train without --keep-head"
            }
        }
    }

    /// The base model's one-logit head as training's starting point (`TrainingConfig.keepHead`),
    /// already turned round by `CoverModel` if the file says its logit predicts the other covers.
    func startingHead(_ config: TrainingConfig) throws -> Linear? {
        guard config.keepHead else { return nil }
        guard let head = baseModel.popularityHead else { throw TrainerError.noHeadToKeep(model: baseModel.name) }
        return head
    }

    public func train(_ request: TrainingRequest, progress: (@Sendable (TrainingProgress) -> Void)? = nil) throws -> TrainingOutcome {
        var config = request.config.asRun
        try config.validate()
        guard let architecture = ModelArchitecture(rawValue: baseModel.architecture) else {
            throw TrainerError.architecture(baseModel.architecture)
        }
        if request.validationData != nil { config.validationSplit = 0 }
        if config.mode != .head { return try fineTune(request, config: config, architecture: architecture, progress: progress) }

        let (training, validation, data) = try loadData(request, config: config, progress: progress)
        if request.balancePositives && config.positiveWeight == nil {
            let positives = training.labels.filter { $0 > 0.5 }.count
            config.positiveWeight = Double(training.labels.count - positives) / Double(max(positives, 1))
        }
        let fingerprint = data.fingerprint + (validation.map { "+" + $0.fingerprint } ?? "")
        var resumedFrom: Int?
        var session: HeadTrainingSession
        if request.resume, FileManager.default.fileExists(atPath: request.checkpointFile.path) {
            let checkpoint = try TrainingCheckpoint(contentsOf: request.checkpointFile)
            try Self.check(saved: (checkpoint.session.config, checkpoint.dataFingerprint, checkpoint.baseModel),
                           path: request.checkpointFile.path, config: config, data: fingerprint, model: baseModel.embeddingFingerprint)
            session = checkpoint.session
            session.config = config
            resumedFrom = session.epochsDone
        } else {
            session = try HeadTrainingSession(config: config, inputs: training.features.shape[1], start: startingHead(config))
        }
        let validationSet = validation.map { ($0.features, $0.labels) }
        progress?(.data(classCounts: data.classCounts, training: training.labels.count,
                        validation: validation?.labels.count ?? 0, resumedFromEpoch: resumedFrom))

        try FileManager.default.createDirectory(at: request.output, withIntermediateDirectories: true)
        Self.removeStaleTemporaries(request)
        var log = baseLog(request, config: config, classCounts: data.classCounts, training: training.labels.count,
                          validation: validation?.labels.count ?? 0, history: session.history, resumed: resumedFrom != nil)
        try runEpochs(&session, request: request, log: &log, progress: progress) { session in
            session.runEpoch(features: training.features, labels: training.labels, validation: validationSet)
        } checkpoint: { session in
            try TrainingCheckpoint(session: session, dataFingerprint: fingerprint, baseModel: baseModel.embeddingFingerprint)
                .write(to: request.checkpointFile)
        }

        let kept = session.keptValidation
        var modelFile: URL?
        if session.isFinished {
            let datasetJSON = try TrainingCheckpoint.json(DatasetRecord(classCounts: data.classCounts, training: training.labels.count,
                                                                         validation: validation?.labels.count ?? 0))
            let file = try TrainedModelFile.make(
                backbone: TrainedModelFile.backboneTensors(of: baseModelFile, architecture: architecture),
                architecture: architecture, preprocessing: baseModel.preprocessing, head: session.keptHead, config: config,
                validation: kept,
                extra: ["dataset": datasetJSON, "bestEpoch": String(session.keptEpoch), "baseModel": baseModel.name])
            try file.write(to: request.modelFile)
            modelFile = request.modelFile
        }
        return TrainingOutcome(modelFile: modelFile, logFile: request.logFile, checkpointFile: request.checkpointFile, log: log,
                               bestEpoch: session.keptEpoch, validation: kept, classCounts: data.classCounts,
                               trainingCount: training.labels.count, validationCount: validation?.labels.count ?? 0,
                               skipped: data.skipped + (validation?.skipped ?? []), resumedFromEpoch: resumedFrom)
    }

    /// Embeds the data (and validation data), then splits when there is no separate validation set.
    private func loadData(_ request: TrainingRequest, config: TrainingConfig, progress: (@Sendable (TrainingProgress) -> Void)?)
        throws -> (training: (features: Tensor, labels: [Float]), validation: LabelledEmbeddings?, data: LabelledEmbeddings) {
        var scan = CoverScan(model: baseModel, store: store)
        scan.limits = request.limits
        scan.compute = compute
        scan.onCutShort = onCutShort
        let report: @Sendable (String, Int, Int) -> Void = { phase, done, total in
            progress?(.scanning(phase: "embed " + phase, done: done, total: total))
        }
        let data = try LabelledEmbeddings.scan(request.data, with: scan, role: "train", followSymlinks: request.followSymlinks,
                                               progress: report)
        if let folders = request.validationData {
            let validation = try LabelledEmbeddings.scan(folders, with: scan, role: "validation", followSymlinks: request.followSymlinks,
                                                         progress: report)
            return ((data.features, data.labels), validation, data)
        }
        let split = StratifiedSplit(labels: data.labels, validationFraction: config.validationSplit,
                                    seed: config.seed ^ HeadTrainer.splitSeedSalt)
        let training = data.subset(split.training)
        guard !split.validation.isEmpty else { return (training, nil, data) }
        var validation = data
        let held = data.subset(split.validation)
        validation.features = held.features
        validation.labels = held.labels
        validation.files = split.validation.map { data.files[$0] }
        validation.skipped = []
        return (training, validation, data)
    }

    /// A resumed run must continue the same run: same data, same base model, same settings
    /// (only the number of epochs and the early-stopping patience may change). Settings are
    /// compared as run (`TrainingConfig.asRun`), so a head-mode checkpoint that recorded
    /// `augment: true` (before head mode recorded what it did) still resumes.
    static func check(saved checkpoint: (config: TrainingConfig, data: String, model: String), path: String,
                      config: TrainingConfig, data: String, model: String) throws {
        guard checkpoint.data == data else { throw TrainingCheckpoint.CheckpointFileError.differentData(path: path) }
        guard checkpoint.model == model else { throw TrainingCheckpoint.CheckpointFileError.differentModel(path: path) }
        var saved = checkpoint.config.asRun, asked = config.asRun
        saved.epochs = 0; asked.epochs = 0
        saved.earlyStoppingPatience = nil; asked.earlyStoppingPatience = nil
        if saved != asked {
            let a = (try? TrainingCheckpoint.json(saved)) ?? "", b = (try? TrainingCheckpoint.json(asked)) ?? ""
            throw TrainingCheckpoint.CheckpointFileError.differentConfig(path: path, detail: "checkpoint \(a), now \(b)")
        }
    }

    /// A run killed while writing leaves its hidden temporary file (`.checkpoint.safetensors.<pid>-<id>.tmp`);
    /// the visible files are always complete, and the next run clears the leftovers of runs that ended.
    static func removeStaleTemporaries(_ request: TrainingRequest) {
        AtomicFile.removeAbandonedTemporaries(of: [request.modelFile, request.logFile, request.checkpointFile])
    }

    /// The epoch loop of every mode: run an epoch, write the checkpoint, then the log (so the log
    /// never runs ahead of the checkpoint a resume starts from), until the session finishes or
    /// `request.stopAfterEpochs`; then the log's final best epoch and early-stopping flag.
    func runEpochs<Session: EpochHistory>(_ session: inout Session, request: TrainingRequest, log: inout TrainingLog,
                                          progress: (@Sendable (TrainingProgress) -> Void)?,
                                          epoch runEpoch: (inout Session) throws -> EpochMetrics,
                                          checkpoint: (Session) throws -> Void) throws {
        while !session.isFinished && session.epochsDone < (request.stopAfterEpochs ?? .max) {
            let start = DispatchTime.now().uptimeNanoseconds
            let metrics = try runEpoch(&session)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try checkpoint(session)
            log.epochs.append(TrainingLog.Epoch(metrics, seconds: seconds))
            log.bestEpoch = session.keptEpoch
            log.stoppedEarly = session.stoppedEarly
            try log.write(to: request.logFile)
            progress?(.epoch(metrics, total: session.config.epochs, seconds: seconds))
        }
        log.bestEpoch = session.keptEpoch
        log.stoppedEarly = session.stoppedEarly
        try log.write(to: request.logFile)
    }

    func baseLog(_ request: TrainingRequest, config: TrainingConfig, classCounts: [LabelledEmbeddings.ClassCount],
                         training: Int, validation: Int, history: [EpochMetrics], resumed: Bool) -> TrainingLog {
        // A resumed run rebuilds the epochs it continues from the checkpoint's history (the log
        // may lag one epoch behind after a kill) and keeps their timings from the earlier log.
        let earlier = resumed ? (try? Data(contentsOf: request.logFile)).flatMap { try? TrainingLog.decoder.decode(TrainingLog.self, from: $0) } : nil
        let seconds = Dictionary((earlier?.epochs ?? []).map { ($0.epoch, $0.seconds) }, uniquingKeysWith: { a, _ in a })
        var log = TrainingLog(epochs: history.map { TrainingLog.Epoch($0, seconds: seconds[$0.epoch] ?? nil) })
        log.config = config
        log.classCounts = Dictionary(classCounts.map { ($0.name, $0.count) }, uniquingKeysWith: +)
        log.trainingCount = training
        log.validationCount = validation
        return log
    }
}

/// How many covers of each class a model was trained on, for its metadata.
struct DatasetRecord: Codable {
    var classCounts: [LabelledEmbeddings.ClassCount]
    var training: Int
    var validation: Int
}
