import Dispatch
import Foundation
import Imaging
import Networks
import Support
import Tensors

/// Partial and full fine-tuning: the same run as head mode (split, per-epoch metrics, atomic
/// checkpoint, log, best-AUC model), but the backbone learns too, so covers go through the network
/// every epoch instead of once.
///
/// Covers are decoded, augmented (training set) and preprocessed on a background thread while this
/// thread trains. In partial mode the frozen layers' output does not change while training, so the
/// validation covers' (and, without augmentation, the training covers') frozen activations are
/// computed once for the whole run. The model file holds the fine-tuned backbone: `score` and
/// `evaluate` embed with the weights the validation metrics were measured with.
extension CoverTrainer {
    func fineTune(_ request: TrainingRequest, config: TrainingConfig, architecture: ModelArchitecture, plan: TrainingPlan,
                  clock: TrainingClock, progress: (@Sendable (TrainingProgress) -> Void)?) throws -> TrainingOutcome {
        switch architecture {
        case .efficientNetLite0:
            try fineTune(EfficientNetLite0.self, request, config: config, architecture: architecture, plan: plan, clock: clock, progress: progress)
        case .resnet18:
            try fineTune(ResNet18.self, request, config: config, architecture: architecture, plan: plan, clock: clock, progress: progress)
        }
    }

    private func fineTune<Network: TrainableBackbone>(_: Network.Type, _ request: TrainingRequest, config: TrainingConfig,
                                                      architecture: ModelArchitecture, plan: TrainingPlan, clock: TrainingClock,
                                                      progress: (@Sendable (TrainingProgress) -> Void)?) throws -> TrainingOutcome {
        var config = config
        var clock = clock
        let report: @Sendable (String, Int, Int) -> Void = { phase, done, total in
            progress?(.scanning(phase: "check " + phase, done: done, total: total))
        }
        let (data, training, validation) = try loadImages(request, config: config, report: report)
        if request.balancePositives && config.positiveWeight == nil {
            let positives = training.labels.filter { $0 > 0.5 }.count
            config.positiveWeight = Double(training.count - positives) / Double(max(positives, 1))
        }
        let fingerprint = data.fingerprint + (request.validationData == nil ? "" : validation.map { "+" + $0.fingerprint } ?? "")
        let baseFingerprint = baseModel.embeddingFingerprint
        var session = try FineTuneSession<Network>(
            config: config, backbone: TrainedModelFile.backboneTensors(of: baseModelFile, architecture: architecture),
            architecture: architecture, start: startingHead(config))
        var resumedFrom: Int?
        var savedBudget: TrainingBudget?
        if request.resume, FileManager.default.fileExists(atPath: request.checkpointFile.path) {
            let saved = try FineTuneCheckpoint.read(request.checkpointFile, onto: session)
            savedBudget = saved.budget
            try Self.check(saved: (saved.session.config, saved.data, saved.baseModel), path: request.checkpointFile.path,
                           config: config, data: fingerprint, model: baseFingerprint)
            session = saved.session
            session.config = config
            resumedFrom = session.epochsDone
        }
        clock.budget = TrainingBudget.resolve(askedMinutes: request.budgetMinutes, saved: savedBudget)

        let mode = session.model.mode
        var trainingFeed = FineTuneFeed(images: training, preprocessing: baseModel.preprocessing, limits: request.limits,
                                        augmentation: config.augmentation)
        var validationFeed = validation.map {
            FineTuneFeed(images: $0, preprocessing: baseModel.preprocessing, limits: request.limits, augmentation: nil)
        }
        if case .partial = mode {
            if trainingFeed.augmentation == nil {
                try trainingFeed.cacheFrozenActivations(session.model.backbone, mode: mode, compute: compute) { progress?(.scanning(phase: "frozen layers (train)", done: $0, total: $1)) }
            }
            try validationFeed?.cacheFrozenActivations(session.model.backbone, mode: mode, compute: compute) { progress?(.scanning(phase: "frozen layers (validation)", done: $0, total: $1)) }
        }
        progress?(.data(classCounts: data.classCounts, training: training.count, validation: validation?.count ?? 0,
                        resumedFromEpoch: resumedFrom))

        try FileManager.default.createDirectory(at: request.output, withIntermediateDirectories: true)
        Self.removeStaleTemporaries(request)
        var log = baseLog(request, config: config, classCounts: data.classCounts, training: training.count,
                          validation: validation?.count ?? 0, history: session.history, resumed: resumedFrom != nil)
        log.choices = plan.choices.isEmpty ? nil : plan.choices
        try runEpochs(&session, request: request, log: &log, clock: clock, progress: progress) { session in
            let epoch = session.epochsDone + 1, epochs = session.config.epochs
            return try session.runEpoch(training: trainingFeed, validation: validationFeed, compute: compute) { batch, batches, loss in
                progress?(.step(epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss))
            }
        } checkpoint: { session, budget in
            try FineTuneCheckpoint.write(session, dataFingerprint: fingerprint, baseModel: baseFingerprint, budget: budget,
                                         to: request.checkpointFile)
        }

        let kept = session.keptValidation
        var modelFile: URL?
        let stoppedForBudget = log.stoppedForBudget == true
        if session.isFinished || stoppedForBudget {
            let model = try session.keptModel()
            let datasetJSON = try TrainingCheckpoint.json(DatasetRecord(classCounts: data.classCounts, training: training.count,
                                                                         validation: validation?.count ?? 0))
            let file = try TrainedModelFile.make(
                backbone: model.backbone.stateDict(), architecture: architecture, preprocessing: baseModel.preprocessing,
                head: model.head, config: config, validation: kept,
                extra: Self.choiceMetadata(plan.choices, log: log).merging(
                    ["dataset": datasetJSON, "bestEpoch": String(session.keptEpoch), "baseModel": baseModel.name,
                     "fineTuning": mode.description]) { a, _ in a })
            try file.write(to: request.modelFile)
            modelFile = request.modelFile
        }
        var outcome = TrainingOutcome(modelFile: modelFile, logFile: request.logFile, checkpointFile: request.checkpointFile, log: log,
                                      bestEpoch: session.keptEpoch, validation: kept, classCounts: data.classCounts,
                                      trainingCount: training.count, validationCount: validation?.count ?? 0,
                                      skipped: data.skipped + (request.validationData == nil ? [] : validation?.skipped ?? []),
                                      resumedFromEpoch: resumedFrom)
        outcome.choices = plan.choices
        outcome.stoppedForBudget = stoppedForBudget
        return outcome
    }

    /// The labelled covers, split as head mode splits them (same seed salt, so both modes hold out the same covers).
    private func loadImages(_ request: TrainingRequest, config: TrainingConfig, report: @escaping @Sendable (String, Int, Int) -> Void)
        throws -> (data: LabelledImages, training: LabelledImages, validation: LabelledImages?) {
        let data = try LabelledImages.scan(request.data, role: "train", followSymlinks: request.followSymlinks,
                                           limits: request.limits, progress: report)
        if let folders = request.validationData {
            let validation = try LabelledImages.scan(folders, role: "validation", followSymlinks: request.followSymlinks,
                                                     limits: request.limits, progress: report)
            return (data, data, validation)
        }
        let split = StratifiedSplit(labels: data.labels, validationFraction: config.validationSplit,
                                    seed: config.seed ^ HeadTrainer.splitSeedSalt)
        return (data, data.subset(split.training), split.validation.isEmpty ? nil : data.subset(split.validation))
    }
}
