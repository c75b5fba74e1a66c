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

    /// `overrides` replace the base model's preprocessing settings; the trained model records them.
    public init(baseModelFile: URL, store: (any CoverStore)?, overrides: PreprocessingOverrides = .none) throws {
        self.baseModelFile = baseModelFile
        self.baseModel = try CoverModel.load(contentsOf: baseModelFile, overrides: overrides)
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
        var clock = TrainingClock()
        guard let architecture = ModelArchitecture(rawValue: baseModel.architecture) else {
            throw TrainerError.architecture(baseModel.architecture)
        }
        let plan = try Self.plan(request)
        var config = plan.config.asRun
        try config.validate()
        for line in plan.choices { progress?(.choice(line)) }
        if config.mode != .head {
            return try fineTune(request, config: config, architecture: architecture, plan: plan, clock: clock, progress: progress)
        }

        let (training, validation, data) = try loadData(request, config: config, progress: progress)
        if request.balancePositives && config.positiveWeight == nil {
            let positives = training.labels.filter { $0 > 0.5 }.count
            config.positiveWeight = Double(training.labels.count - positives) / Double(max(positives, 1))
        }
        var choices = plan.choices
        if plan.searchesWeightDecay {
            progress?(.scanning(phase: "choose weight decay", done: 0, total: WeightDecaySearch.candidates.count))
            if let search = try WeightDecaySearch(features: training.features, labels: training.labels, config: config) {
                config.weightDecay = search.chosen
                choices.append(search.choice)
            } else {
                choices.append("weight decay \(TrainingPlan.text(config.weightDecay)): too few covers of a class for "
                               + "\(WeightDecaySearch.folds)-fold inner validation")
            }
            progress?(.choice(choices.last!))
        }
        let fingerprint = data.fingerprint + (validation.map { "+" + $0.fingerprint } ?? "")
        var resumedFrom: Int?
        var session: HeadTrainingSession
        var savedBudget: TrainingBudget?
        if request.resume, FileManager.default.fileExists(atPath: request.checkpointFile.path) {
            let checkpoint = try TrainingCheckpoint(contentsOf: request.checkpointFile)
            try Self.check(saved: (checkpoint.session.config, checkpoint.dataFingerprint, checkpoint.baseModel),
                           path: request.checkpointFile.path, config: config, data: fingerprint, model: baseModel.embeddingFingerprint)
            session = checkpoint.session
            session.config = config
            resumedFrom = session.epochsDone
            savedBudget = checkpoint.budget
        } else {
            session = try HeadTrainingSession(config: config, inputs: training.features.shape[1], start: startingHead(config))
        }
        clock.budget = TrainingBudget.resolve(askedMinutes: request.budgetMinutes, saved: savedBudget)
        let validationSet = validation.map { ($0.features, $0.labels) }
        progress?(.data(classCounts: data.classCounts, training: training.labels.count,
                        validation: validation?.labels.count ?? 0, resumedFromEpoch: resumedFrom))

        try FileManager.default.createDirectory(at: request.output, withIntermediateDirectories: true)
        Self.removeStaleTemporaries(request)
        var log = baseLog(request, config: config, classCounts: data.classCounts, training: training.labels.count,
                          validation: validation?.labels.count ?? 0, history: session.history, resumed: resumedFrom != nil)
        log.choices = choices.isEmpty ? nil : choices
        try runEpochs(&session, request: request, log: &log, clock: clock, progress: progress) { session in
            session.runEpoch(features: training.features, labels: training.labels, validation: validationSet)
        } checkpoint: { session, budget in
            try TrainingCheckpoint(session: session, dataFingerprint: fingerprint, baseModel: baseModel.embeddingFingerprint,
                                   budget: budget)
                .write(to: request.checkpointFile)
        }

        let kept = session.keptValidation
        var modelFile: URL?
        let stoppedForBudget = log.stoppedForBudget == true
        if session.isFinished || stoppedForBudget {
            let datasetJSON = try TrainingCheckpoint.json(DatasetRecord(classCounts: data.classCounts, training: training.labels.count,
                                                                         validation: validation?.labels.count ?? 0))
            let file = try TrainedModelFile.make(
                backbone: TrainedModelFile.backboneTensors(of: baseModelFile, architecture: architecture),
                architecture: architecture, preprocessing: baseModel.preprocessing, head: session.keptHead, config: config,
                validation: kept,
                extra: Self.choiceMetadata(choices, log: log).merging(
                    ["dataset": datasetJSON, "bestEpoch": String(session.keptEpoch), "baseModel": baseModel.name]) { a, _ in a })
            try file.write(to: request.modelFile)
            modelFile = request.modelFile
        }
        var outcome = TrainingOutcome(modelFile: modelFile, logFile: request.logFile, checkpointFile: request.checkpointFile, log: log,
                                      bestEpoch: session.keptEpoch, validation: kept, classCounts: data.classCounts,
                                      trainingCount: training.labels.count, validationCount: validation?.labels.count ?? 0,
                                      skipped: data.skipped + (validation?.skipped ?? []), resumedFromEpoch: resumedFrom)
        outcome.choices = choices
        outcome.stoppedForBudget = stoppedForBudget
        return outcome
    }

    /// The settings this request trains with: `request.config` with the automatic ones chosen
    /// from how many covers the class folders list (before decoding; a cover that later cannot be
    /// read does not change the choice). Head mode's weight decay is chosen later, on the embeddings.
    public static func plan(_ request: TrainingRequest) throws -> TrainingPlan {
        var asked = request.config
        if request.validationData != nil { asked.validationSplit = 0 }
        guard !request.automatic.isEmpty else {
            return TrainingPlan(config: asked, automatic: [], trainingCovers: 0, rule: request.planRule)
        }
        if case .collections = request.data {
            // A store collection holds embeddings, not files: only the head can train on it.
            var plan = TrainingPlan(config: asked, automatic: request.automatic.subtracting(.mode), trainingCovers: 0, rule: request.planRule)
            if request.automatic.contains(.mode) {
                plan.config.mode = .head
                plan.choices.insert("mode head: the training covers are store collections, which hold embeddings only", at: 0)
            }
            return plan
        }
        var labels: [Float] = []
        for folder in try request.data.classes() {
            let listing = try ImageFolder(folder.url, followSymlinks: request.followSymlinks)
            labels += [Float](repeating: folder.positive ? 1 : 0, count: listing.files.count)
        }
        let training = StratifiedSplit(labels: labels, validationFraction: asked.validationSplit,
                                       seed: asked.seed ^ HeadTrainer.splitSeedSalt).training.count
        return TrainingPlan(config: asked, automatic: request.automatic, trainingCovers: training, rule: request.planRule)
    }

    /// The model file's record of what was chosen (`choices`, a JSON list of lines) and of the budget.
    static func choiceMetadata(_ choices: [String], log: TrainingLog) -> [String: String] {
        var extra: [String: String] = [:]
        if !choices.isEmpty { extra["choices"] = try? TrainingCheckpoint.json(choices) }
        if let minutes = log.budgetMinutes {
            extra["budget"] = "\(TrainingPlan.text(minutes)) minutes" + (log.stoppedForBudget == true ? ", reached after epoch \(log.epochs.count)" : "")
        }
        return extra
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
    /// never runs ahead of the checkpoint a resume starts from), until the session finishes,
    /// `request.stopAfterEpochs`, or the clock's budget leaves no time for another epoch
    /// (`TrainingBudget`; the log says so); then the log's final best epoch and early-stopping flag.
    func runEpochs<Session: EpochHistory>(_ session: inout Session, request: TrainingRequest, log: inout TrainingLog,
                                          clock: TrainingClock, progress: (@Sendable (TrainingProgress) -> Void)?,
                                          epoch runEpoch: (inout Session) throws -> EpochMetrics,
                                          checkpoint: (Session, TrainingBudget?) throws -> Void) throws {
        log.budgetMinutes = clock.budget.map { $0.seconds / 60 }
        log.stoppedForBudget = nil
        while !session.isFinished && session.epochsDone < (request.stopAfterEpochs ?? .max) {
            if let budget = clock.budget,
               !budget.allowsEpoch(spent: clock.spent, epochsDone: session.epochsDone, lastEpochSeconds: log.epochs.last?.seconds) {
                log.stoppedForBudget = true
                progress?(.budgetReached(epochsDone: session.epochsDone, minutes: budget.seconds / 60))
                break
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let metrics = try runEpoch(&session)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try checkpoint(session, clock.snapshot)
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
