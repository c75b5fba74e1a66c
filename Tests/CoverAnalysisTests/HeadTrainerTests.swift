import Foundation
import Support
import Testing
import Tensors
@testable import CoverAnalysis
@testable import Networks

@Suite struct HeadTrainerTests {
    /// Two Gaussian clouds in D dimensions whose means differ along every axis by `separation`.
    static func clusters(count: Int, dimensions: Int, separation: Double, seed: UInt64) -> (Tensor, [Float]) {
        var g = SeededGenerator(seed: seed)
        var values: [Float] = [], labels: [Float] = []
        for i in 0..<count {
            let positive = i % 3 == 0
            labels.append(positive ? 1 : 0)
            for _ in 0..<dimensions { values.append(Float(g.normal() + (positive ? separation : 0))) }
        }
        return (Tensor(shape: [count, dimensions], storage: values), labels)
    }

    @Test func learnsSeparableClusters() throws {
        let (x, y) = Self.clusters(count: 300, dimensions: 16, separation: 1, seed: 1)
        var config = TrainingConfig()
        config.epochs = 15
        config.learningRate = 1e-2
        let result = try HeadTrainer.train(features: x, labels: y, config: config)
        let last = try #require(result.history.last?.validation)
        #expect(last.count == 60, "20 % held out")
        #expect(result.split?.validation.count == 60)
        #expect((last.rocAUC ?? 0) > 0.97, "validation AUC \(String(describing: last.rocAUC))")
        #expect(last.accuracy > 0.9, "validation accuracy \(last.accuracy)")
        #expect(result.history.first!.training.loss > result.history.last!.training.loss, "training loss falls")
    }

    @Test func sameSeedGivesByteIdenticalWeights() throws {
        let (x, y) = Self.clusters(count: 200, dimensions: 32, separation: 0.5, seed: 2)
        var config = TrainingConfig()
        config.epochs = 5
        config.batchSize = 16
        config.schedule = .cosine(steps: 0)
        let a = try HeadTrainer.train(features: x, labels: y, config: config)
        let b = try HeadTrainer.train(features: x, labels: y, config: config)
        #expect(a.head.weight.value.storage == b.head.weight.value.storage)
        #expect(a.head.bias.value.storage == b.head.bias.value.storage)
        #expect(a.history == b.history)
        config.seed = 1
        let c = try HeadTrainer.train(features: x, labels: y, config: config)
        #expect(c.head.weight.value.storage != a.head.weight.value.storage, "another seed, another model")
    }

    @Test func earlyStoppingKeepsTheBestEpoch() throws {
        // Validation labels are the opposite of training labels: the better the head learns, the
        // worse validation gets, so an early epoch is best and patience 2 stops two epochs later.
        let (x, y) = Self.clusters(count: 120, dimensions: 8, separation: 1.5, seed: 3)
        let (vx, vy) = Self.clusters(count: 60, dimensions: 8, separation: 1.5, seed: 4)
        var config = TrainingConfig()
        config.epochs = 20
        config.learningRate = 0.05
        config.earlyStoppingPatience = 2
        var seen = 0
        let result = try HeadTrainer.train(features: x, labels: y, validation: (vx, vy.map { 1 - $0 }),
                                           config: config, progress: { _ in seen += 1 })
        #expect(result.stoppedEarly && result.history.count == result.bestEpoch + 2 && result.history.count < 20,
                "stopped \(result.stoppedEarly) after \(result.history.count), best \(result.bestEpoch)")
        let aucs = result.history.map { $0.validation?.rocAUC ?? 0 }
        #expect(aucs[result.bestEpoch - 1] == aucs.max(), "the kept epoch has the highest validation AUC: \(aucs)")
        #expect(seen == result.history.count, "progress reported every epoch")
    }

    @Test func scheduleSetsEachEpochsLearningRate() throws {
        let (x, y) = Self.clusters(count: 40, dimensions: 4, separation: 1, seed: 5)
        var config = TrainingConfig()
        config.epochs = 4
        config.learningRate = 0.1
        config.schedule = .cosine(steps: 4, minimum: 0)
        let rates = try HeadTrainer.train(features: x, labels: y, config: config).history.map(\.learningRate)
        let expected = (0..<4).map { 0.05 * (1 + cos(Double.pi * Double($0) / 4)) }
        #expect(zip(rates, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(rates)")
    }

    @Test func mismatchedLabelsAreATypedError() {
        let x = Tensor(shape: [3, 2])
        #expect(throws: HeadTrainingError.self) { _ = try HeadTrainer.train(features: x, labels: [1, 0], config: TrainingConfig()) }
    }

    /// Measures the head-mode target (5,000 cached 1,280-d embeddings, 20 epochs; issue: under 5 s
    /// in a release build). Speed is printed, not asserted: a loaded CI machine must not fail it.
    @Test func fiveThousandEmbeddingsTrainTwentyEpochs() throws {
        let (x, y) = Self.clusters(count: 5000, dimensions: 1280, separation: 0.05, seed: 6)
        var config = TrainingConfig()
        config.epochs = 20
        let clock = ContinuousClock()
        var result: HeadTrainingResult?
        let elapsed = try clock.measure { result = try HeadTrainer.train(features: x, labels: y, config: config) }
        #expect(result?.history.count == 20)
        print("head mode, 5000 × 1280, 20 epochs: \(elapsed)")
    }
}

/// The acceptance number of head mode with everything `coverlens train` does per epoch: the
/// epoch itself, the atomic checkpoint (head, best head, Adam moments, history) and the log.
@Suite struct CheckpointedHeadTrainingSpeedTests {
    /// Prints the time (speed is a benchmark, never a test's pass/fail condition).
    @Test func fiveThousandCachedEmbeddingsTwentyCheckpointedEpochs() throws {
        let (x, y) = HeadTrainerTests.clusters(count: 5000, dimensions: 1280, separation: 0.05, seed: 7)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = TrainingConfig()
        config.epochs = 20
        let split = StratifiedSplit(labels: y, validationFraction: 0.2, seed: 1)
        let training = (HeadTrainer.gatherRows(x, split.training), split.training.map { y[$0] })
        let validation = (features: HeadTrainer.gatherRows(x, split.validation), labels: split.validation.map { y[$0] })
        let elapsed = try ContinuousClock().measure {
            var session = try HeadTrainingSession(config: config, inputs: 1280)
            var log = TrainingLog(epochs: [])
            while !session.isFinished {
                log.epochs.append(TrainingLog.Epoch(session.runEpoch(features: training.0, labels: training.1, validation: validation)))
                try TrainingCheckpoint(session: session, dataFingerprint: "d", baseModel: "m")
                    .write(to: folder.appendingPathComponent("checkpoint.safetensors"))
                try log.write(to: folder.appendingPathComponent("training-log.json"))
            }
        }
        let restored = try TrainingCheckpoint(contentsOf: folder.appendingPathComponent("checkpoint.safetensors"))
        #expect(restored.session.epochsDone == 20)
        print("checkpointed head mode, 5000 × 1280, 20 epochs: \(elapsed)")
    }
}
