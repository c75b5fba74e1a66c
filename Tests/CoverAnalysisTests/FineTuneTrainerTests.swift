import Foundation
import Imaging
import Testing
import Networks
import Tensors
@testable import CoverAnalysis

/// `coverlens train --mode partial|full` on the tiny 32×32 EfficientNet-Lite0 and generated covers:
/// what learns, what the model file holds, and that seeds and resumes reproduce models byte for byte.
/// Heavy enough to want `swift test -c release -Xswiftc -enable-testing --filter FineTuneTrainerTests`.
@Suite(.serialized) struct FineTuneTrainerTests {
    static func config(_ mode: TrainingConfig.Mode, epochs: Int = 3, seed: UInt64 = 5) -> TrainingConfig {
        var config = TrainingConfig()
        config.mode = mode
        config.epochs = epochs
        config.learningRate = 0.003
        config.batchSize = 8
        config.seed = seed
        config.trainableBlocks = 1
        return config
    }

    static func run(_ space: TrainingFixtures.Workspace, out: String, config: TrainingConfig, validation: URL? = nil,
                    resume: Bool = false, stopAfter: Int? = nil) throws -> TrainingOutcome {
        let trainer = try CoverTrainer(baseModelFile: space.model, store: nil)
        var request = TrainingRequest(data: .classFolders(space.data, positive: "popular"), output: space.url(out), config: config)
        request.validationData = validation.map { .classFolders($0, positive: "popular") }
        request.resume = resume
        request.stopAfterEpochs = stopAfter
        return try trainer.train(request)
    }

    /// A labelled folder of covers the training data does not hold.
    static func writeValidation(_ space: TrainingFixtures.Workspace, count: Int = 8) throws -> URL {
        let root = space.url("val")
        for (name, popular) in [("popular", true), ("other", false)] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<count {
                try JPEGEncoder.write(TrainingFixtures.cover(popular: popular, seed: UInt64(500 + i)), quality: 90,
                                      to: folder.appendingPathComponent(String(format: "%03d.jpg", i)))
            }
        }
        return root
    }

    static func tensor(_ url: URL, _ name: String) throws -> [Float] {
        try SafeTensors(contentsOf: url).tensor(name).storage
    }

    @Test func partialModeChangesOnlyTheLastBlocksAndTheModelFileScoresAsValidated() throws {
        let space = try TrainingFixtures.Workspace(popular: 12, other: 12)
        let validation = try Self.writeValidation(space)
        var config = Self.config(.partial)
        config.augment = false   // the frozen layers' output is computed once
        let outcome = try Self.run(space, out: "run", config: config, validation: validation)
        let model = try #require(outcome.modelFile, "a finished run writes the model")
        #expect(outcome.log.epochs.count == 3 && outcome.log.epochs.allSatisfy { $0.validationAUC != nil }, "3 epochs with validation metrics")

        // Block 15 (the last) and the head convolution learned; block 14 and the stem did not.
        let base = space.model
        #expect(try Self.tensor(model, "_blocks.15._project_conv.weight") != Self.tensor(base, "_blocks.15._project_conv.weight"),
                "the last block learned")
        #expect(try Self.tensor(model, "_conv_head.weight") != Self.tensor(base, "_conv_head.weight"), "the head convolution learned")
        #expect(try Self.tensor(model, "_blocks.15._bn2.running_mean") != Self.tensor(base, "_blocks.15._bn2.running_mean"),
                "the trainable part's BatchNorm running statistics moved")
        #expect(try Self.tensor(model, "_blocks.14._project_conv.weight") == Self.tensor(base, "_blocks.14._project_conv.weight"),
                "block 14 is frozen")
        #expect(try Self.tensor(model, "_conv_stem.weight") == Self.tensor(base, "_conv_stem.weight"), "the stem is frozen")

        // evaluate (which embeds with the model file's backbone) gives the validation numbers training recorded.
        let loaded = try CoverModel.load(contentsOf: model)
        #expect(loaded.embeddingFingerprint != (try CoverModel.load(contentsOf: base)).embeddingFingerprint,
                "the model file holds the fine-tuned backbone")
        let training = try #require(loaded.metadata["training"])
        #expect(training.contains(#""mode":"partial""#) && training.contains(#""trainableBlocks":1"#), "config in metadata: \(training)")
        let evaluation = try CoverEvaluator(model: loaded, store: nil).evaluate(.classFolders(validation, positive: "popular"))
        let recorded = try #require(outcome.validation)
        #expect(abs(evaluation.metrics.loss - recorded.loss) < 1e-5, "evaluate loss \(evaluation.metrics.loss) vs training's \(recorded.loss)")
        #expect(evaluation.metrics.rocAUC == recorded.rocAUC, "evaluate AUC \(String(describing: evaluation.metrics.rocAUC)) vs \(String(describing: recorded.rocAUC))")
    }

    @Test func fullModeWithAugmentationRepeatsByteForByteAndTheSeedMatters() throws {
        let space = try TrainingFixtures.Workspace(popular: 10, other: 10)
        let config = Self.config(.full, epochs: 2)
        let a = try #require(try Self.run(space, out: "a", config: config).modelFile)
        let b = try #require(try Self.run(space, out: "b", config: config).modelFile)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b), "same seed, same model bytes")
        let c = try #require(try Self.run(space, out: "c", config: Self.config(.full, epochs: 2, seed: 6)).modelFile)
        #expect(try Data(contentsOf: a) != Data(contentsOf: c), "another seed gives another model")
        #expect(try Self.tensor(a, "_conv_stem.weight") != Self.tensor(space.model, "_conv_stem.weight"), "full mode trains the stem")
        #expect(try Self.tensor(a, "_bn0.running_var") != Self.tensor(space.model, "_bn0.running_var"), "BatchNorm in training mode")
    }

    @Test func fullModeWithFrozenBatchNormKeepsTheRunningStatistics() throws {
        let space = try TrainingFixtures.Workspace(popular: 6, other: 6)
        var config = Self.config(.full, epochs: 1)
        config.freezeBatchNorm = true
        let model = try #require(try Self.run(space, out: "run", config: config).modelFile)
        #expect(try Self.tensor(model, "_bn0.running_var") == Self.tensor(space.model, "_bn0.running_var"), "running statistics kept")
        #expect(try Self.tensor(model, "_bn0.weight") != Self.tensor(space.model, "_bn0.weight"), "γ still learns")
    }

    @Test func interruptedPartialRunResumesToTheUninterruptedModel() throws {
        let space = try TrainingFixtures.Workspace(popular: 10, other: 10)
        let config = Self.config(.partial, epochs: 3)   // augmented: the frozen layers run every step
        let whole = try #require(try Self.run(space, out: "whole", config: config).modelFile)
        let stopped = try Self.run(space, out: "resumed", config: config, stopAfter: 1)
        #expect(stopped.modelFile == nil && stopped.log.epochs.count == 1, "stopped after epoch 1")
        let resumed = try Self.run(space, out: "resumed", config: config, resume: true)
        #expect(resumed.resumedFromEpoch == 1, "resumed from epoch 1")
        let model = try #require(resumed.modelFile)
        #expect(try Data(contentsOf: whole) == Data(contentsOf: model), "resumed model is byte-identical to the uninterrupted one")
        #expect(resumed.log.epochs.map(\.epoch) == [1, 2, 3], "the log holds every epoch once")
    }

    @Test func resnet18PartialModeTrainsLayer4Only() throws {
        let space = try TrainingFixtures.Workspace(popular: 6, other: 6)
        try TrainingFixtures.writeTinyModel(to: space.model, architecture: .resnet18)
        var config = Self.config(.partial, epochs: 1)
        config.trainableBlocks = 2
        let model = try #require(try Self.run(space, out: "run", config: config).modelFile)
        #expect(try Self.tensor(model, "layer4.1.conv2.weight") != Self.tensor(space.model, "layer4.1.conv2.weight"), "layer4 learned")
        #expect(try Self.tensor(model, "layer3.1.conv2.weight") == Self.tensor(space.model, "layer3.1.conv2.weight"), "layer3 is frozen")
        #expect(try CoverModel.load(contentsOf: model).popularityHead != nil, "the model file scores")
    }

    @Test func resumingAHeadRunInPartialModeIsATypedError() throws {
        let space = try TrainingFixtures.Workspace(popular: 4, other: 4)
        _ = try Self.run(space, out: "run", config: Self.config(.head, epochs: 2), stopAfter: 1)
        #expect(throws: TrainingCheckpoint.CheckpointFileError.self) {
            _ = try Self.run(space, out: "run", config: Self.config(.partial, epochs: 2), resume: true)
        }
    }
}
