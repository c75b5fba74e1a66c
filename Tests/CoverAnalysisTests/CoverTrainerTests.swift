import Foundation
import Testing
import Networks
@testable import CoverAnalysis

@Suite(.serialized) struct CoverTrainerTests {
    static func config(epochs: Int = 12, seed: UInt64 = 5) -> TrainingConfig {
        var config = TrainingConfig()
        config.epochs = epochs
        config.learningRate = 0.01
        config.batchSize = 8
        config.seed = seed
        return config
    }

    static func run(_ space: TrainingFixtures.Workspace, out: String, config: TrainingConfig, resume: Bool = false,
                    stopAfter: Int? = nil) throws -> TrainingOutcome {
        let trainer = try CoverTrainer(baseModelFile: space.model, store: try space.store())
        var request = TrainingRequest(data: .classFolders(space.data, positive: "popular"), output: space.url(out), config: config)
        request.resume = resume
        request.stopAfterEpochs = stopAfter
        return try trainer.train(request)
    }

    @Test func headModeSeparatesGeneratedCoversAndLogsEveryEpoch() throws {
        let space = try TrainingFixtures.Workspace()
        let outcome = try Self.run(space, out: "run", config: Self.config())
        #expect(outcome.classCounts.map(\.count) == [24, 36], "class counts \(outcome.classCounts)")
        #expect(outcome.trainingCount == 48 && outcome.validationCount == 12, "80/20 split: \(outcome.trainingCount)/\(outcome.validationCount)")
        let auc = try #require(outcome.validation?.rocAUC)
        #expect(auc >= 0.95, "validation AUC \(auc)")

        let log = try TrainingLog.decoder.decode(TrainingLog.self, from: Data(contentsOf: outcome.logFile))
        #expect(log.epochs.map(\.epoch) == Array(1...12), "one log entry per epoch")
        for e in log.epochs {
            #expect(e.validationLoss != nil && e.validationAUC != nil && e.validationAccuracy != nil && e.precision != nil
                    && e.recall != nil && e.f1 != nil && e.confusion?.total == 12 && e.learningRate == 0.01 && e.seconds != nil,
                    "epoch \(e.epoch) incomplete: \(e)")
        }
        #expect(log.bestEpoch == outcome.bestEpoch && log.config == Self.config().asRun && log.classCounts == ["popular": 24, "other": 36])
        let best = try #require(log.epochs.first { $0.epoch == outcome.bestEpoch })
        #expect(log.epochs.allSatisfy { ($0.validationAUC ?? 0) <= (best.validationAUC ?? 0) }, "kept epoch has the best AUC")

        let model = try CoverModel.load(contentsOf: try #require(outcome.modelFile))
        let head = try #require(model.popularityHead, "the trained model has a one-logit head")
        #expect(head.weight.shape == [1, 1280])
        #expect(model.validationMetrics?["auc"] == auc, "metadata validation \(String(describing: model.validationMetrics))")
        #expect(model.metadata["training"]?.contains("\"epochs\":12") == true)
        #expect(model.embeddingFingerprint == (try CoverModel.load(contentsOf: space.model)).embeddingFingerprint,
                "the backbone is the base model's, unchanged")
    }

    @Test func sameSeedGivesAByteIdenticalModel() throws {
        let space = try TrainingFixtures.Workspace()
        let a = try Self.run(space, out: "a", config: Self.config())
        let b = try Self.run(space, out: "b", config: Self.config())
        let c = try Self.run(space, out: "c", config: Self.config(seed: 6))
        let bytesA = try Data(contentsOf: try #require(a.modelFile))
        #expect(bytesA == (try Data(contentsOf: try #require(b.modelFile))), "same seed, same bytes")
        #expect(bytesA != (try Data(contentsOf: try #require(c.modelFile))), "another seed, another model")
    }

    /// Head mode trains on cached embeddings of un-augmented covers, so the model file, the
    /// checkpoint and the log say augmentation (and flipping) was off, whatever was asked.
    @Test func headModeRecordsThatItDidNotAugment() throws {
        let space = try TrainingFixtures.Workspace()
        var asked = Self.config(epochs: 2)
        asked.horizontalFlip = true
        #expect(asked.augment && asked.mode == .head, "the default asks for augmentation")
        let outcome = try Self.run(space, out: "run", config: asked)
        let model = try CoverModel.load(contentsOf: try #require(outcome.modelFile))
        let text = try #require(model.metadata["training"], "the model records its training settings")
        let recorded = try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8))
        #expect(!recorded.augment && !recorded.horizontalFlip, "the model file says head mode augmented: \(text)")
        let checkpoint = try TrainingCheckpoint(contentsOf: outcome.checkpointFile).session.config
        #expect(!checkpoint.augment && !checkpoint.horizontalFlip, "the checkpoint says head mode augmented")
        let log = try TrainingLog.decoder.decode(TrainingLog.self, from: Data(contentsOf: outcome.logFile))
        #expect(log.config?.augment == false && log.config?.horizontalFlip == false, "the log says head mode augmented")
    }

    /// Head-mode checkpoints written before that recorded `augment: true`: they still resume,
    /// and end with the model of an uninterrupted run.
    @Test func aHeadCheckpointThatRecordedAugmentStillResumes() throws {
        let space = try TrainingFixtures.Workspace()
        let whole = try Self.run(space, out: "whole", config: Self.config(epochs: 4))
        let first = try Self.run(space, out: "older", config: Self.config(epochs: 4), stopAfter: 2)
        var saved = try SafeTensors(contentsOf: first.checkpointFile)
        let config = try #require(saved.metadata["config"])
        saved.metadata["config"] = config.replacingOccurrences(of: "\"augment\":false", with: "\"augment\":true")
        #expect(saved.metadata["config"]?.contains("\"augment\":true") == true, "the checkpoint now reads as an older one: \(config)")
        try saved.write(to: first.checkpointFile)
        let rest = try Self.run(space, out: "older", config: Self.config(epochs: 4), resume: true)
        #expect(rest.resumedFromEpoch == 2)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == (try Data(contentsOf: try #require(rest.modelFile))),
                "resuming an older checkpoint gives the uninterrupted run's model")
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let space = try TrainingFixtures.Workspace()
        let whole = try Self.run(space, out: "whole", config: Self.config(epochs: 6))
        let first = try Self.run(space, out: "parts", config: Self.config(epochs: 6), stopAfter: 2)
        #expect(first.modelFile == nil && first.log.epochs.count == 2, "stopped after 2 epochs")
        let rest = try Self.run(space, out: "parts", config: Self.config(epochs: 6), resume: true)
        #expect(rest.resumedFromEpoch == 2)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == (try Data(contentsOf: try #require(rest.modelFile))),
                "resumed model is byte-identical to the uninterrupted one")
        #expect(try Data(contentsOf: whole.checkpointFile) == (try Data(contentsOf: rest.checkpointFile)), "checkpoints too")
        #expect(rest.log.epochs.map(\.epoch) == Array(1...6) && rest.log.epochs[0].seconds != nil, "log continues with earlier timings")

        // Stopping at 2 of 4 epochs and resuming to 6 equals 6 uninterrupted (only `epochs` grew).
        _ = try Self.run(space, out: "grown", config: Self.config(epochs: 4), stopAfter: 2)
        let grown = try Self.run(space, out: "grown", config: Self.config(epochs: 6), resume: true)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == (try Data(contentsOf: try #require(grown.modelFile))))
    }

    @Test func resumeRefusesOtherSettings() throws {
        let space = try TrainingFixtures.Workspace()
        _ = try Self.run(space, out: "run", config: Self.config(epochs: 4), stopAfter: 1)
        var changed = Self.config(epochs: 4)
        changed.learningRate = 0.5
        #expect(throws: TrainingCheckpoint.CheckpointFileError.self) {
            _ = try Self.run(space, out: "run", config: changed, resume: true)
        }
    }

    @Test func missingPositiveFolderNamesTheFolders() throws {
        let space = try TrainingFixtures.Workspace(popular: 2, other: 2)
        let trainer = try CoverTrainer(baseModelFile: space.model, store: nil)
        let request = TrainingRequest(data: .classFolders(space.data, positive: "bestsellers"), output: space.url("x"))
        #expect(throws: LabelledFolders.LayoutError.noPositiveFolder(path: space.data.path, positive: "bestsellers",
                                                                    found: ["other", "popular"])) {
            _ = try trainer.train(request)
        }
    }

    @Test func evaluateReportsTheMetricsOfATrainedModel() throws {
        let space = try TrainingFixtures.Workspace()
        let outcome = try Self.run(space, out: "run", config: Self.config())
        let model = try CoverModel.load(contentsOf: try #require(outcome.modelFile))
        let evaluation = try CoverEvaluator(model: model, store: try space.store()).evaluate(.classFolders(space.data, positive: "popular"))
        #expect(evaluation.metrics.count == 60 && evaluation.metrics.confusion.total == 60)
        #expect((evaluation.metrics.rocAUC ?? 0) >= 0.95, "AUC on all covers \(String(describing: evaluation.metrics.rocAUC))")
        let url = space.url("evaluation.json")
        try evaluation.write(to: url)
        #expect(try TrainingLog.decoder.decode(Evaluation.self, from: Data(contentsOf: url)) == evaluation, "JSON round-trips")

        let base = try CoverModel.load(contentsOf: space.model)
        #expect(throws: CoverEvaluator.EvaluationError.self) {
            _ = try CoverEvaluator(model: base, store: nil).evaluate(.classFolders(space.data, positive: "popular"))
        }
    }
}
