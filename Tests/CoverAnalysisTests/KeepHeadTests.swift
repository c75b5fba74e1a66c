import Foundation
import Testing
import Networks
import Tensors
@testable import CoverAnalysis

/// `train --keep-head`: training starts from the base model's one-logit head (one imported from
/// the PyTorch recipe, turned round if its logit predicts the other covers) instead of a fresh one.
@Suite(.serialized) struct KeepHeadTests {
    private func train(_ space: TrainingFixtures.Workspace, base: URL, out: String, mode: TrainingConfig.Mode = .head,
                       keepHead: Bool) throws -> Linear {
        var config = CoverTrainerTests.config(epochs: 1)
        config.mode = mode
        config.keepHead = keepHead
        config.learningRate = 1e-9   // one step this small leaves the starting head as it was, to 1e-6
        let trainer = try CoverTrainer(baseModelFile: base, store: try space.store())
        let outcome = try trainer.train(TrainingRequest(data: .classFolders(space.data, positive: "popular"), output: space.url(out),
                                                        config: config))
        let model = try #require(outcome.modelFile)
        return try #require(try CoverModel.load(contentsOf: model).popularityHead)
    }

    private func largestDifference(_ a: Linear, _ b: Linear, sign: Float = 1) -> Float {
        zip(a.weight.value.storage + a.bias.value.storage, b.weight.value.storage + b.bias.value.storage).map { abs($0 - sign * $1) }.max() ?? .infinity
    }

    @Test func startsFromTheBaseModelsHead() throws {
        let space = try TrainingFixtures.Workspace()
        let first = try #require(try CoverTrainerTests.run(space, out: "first", config: CoverTrainerTests.config()).modelFile)
        let base = try #require(try CoverModel.load(contentsOf: first).popularityHead)
        for mode in [TrainingConfig.Mode.head, .partial] {
            let kept = try train(space, base: first, out: "kept-\(mode)", mode: mode, keepHead: true)
            #expect(largestDifference(kept, base) < 1e-6, "\(mode): the head moved \(largestDifference(kept, base)) from the base model's")
        }
        let fresh = try train(space, base: first, out: "fresh", keepHead: false)
        #expect(largestDifference(fresh, base) > 1e-3, "without --keep-head the head starts afresh")

        // A base model whose logit predicts the other covers starts from its head turned round.
        var file = try SafeTensors(contentsOf: first)
        file.metadata[LogitMeaning.metadataKey] = LogitMeaning.other.rawValue
        let other = space.url("other.safetensors")
        try file.write(to: other)
        let turned = try train(space, base: other, out: "turned", keepHead: true)
        #expect(largestDifference(turned, base, sign: -1) < 1e-6, "the recipe's other-covers logit, turned round")
    }

    @Test func aModelWithoutAOneLogitHeadHasNoneToKeep() throws {
        let space = try TrainingFixtures.Workspace(popular: 4, other: 4)
        #expect(throws: CoverTrainer.TrainerError.noHeadToKeep(model: "model.safetensors")) {
            _ = try train(space, base: space.model, out: "x", keepHead: true)
        }
    }
}
