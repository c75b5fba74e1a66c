import Foundation
import Imaging
import Networks
import Testing
import Tensors
@testable import CoverAnalysis

/// A head that predicts the other covers (the PyTorch recipe's, when its popular folder sorts
/// first) is turned round on loading, and `evaluate` notices a head nobody turned round.
@Suite struct LogitMeaningTests {
    /// A ResNet18 model file with formula weights and a one-logit head, saying what the logit predicts.
    private func modelFile(_ meaning: LogitMeaning?, in folder: URL) throws -> URL {
        let state = FormulaWeights.stateDict(ResNet18.parameterShapes(classes: 1))
        var metadata = ModelFileMetadata(architecture: .resnet18, preprocessing: Preprocessing(normalization: .imagenet).fingerprintText,
                                         head: .popularity, logitMeans: meaning ?? .popular).dictionary
        if meaning == nil { metadata["logitMeans"] = nil }
        let url = folder.appendingPathComponent("\(meaning?.rawValue ?? "unrecorded").safetensors")
        try SafeTensors(tensors: state, metadata: metadata).write(to: url)
        return url
    }

    @Test func headThatPredictsOtherCoversIsTurnedRound() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-logit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let popular = try CoverModel.load(contentsOf: modelFile(.popular, in: folder))
        let other = try CoverModel.load(contentsOf: modelFile(.other, in: folder))
        let unrecorded = try CoverModel.load(contentsOf: modelFile(nil, in: folder))
        let head = try #require(popular.popularityHead), flipped = try #require(other.popularityHead)
        #expect(flipped.weight.value.storage == head.weight.value.storage.map { -$0 } && flipped.bias.value.storage == head.bias.value.storage.map { -$0 })
        #expect(try #require(unrecorded.popularityHead).weight.value.storage == head.weight.value.storage, "unrecorded means popular")
        #expect(other.embeddingFingerprint == popular.embeddingFingerprint, "the same embeddings, cached once")
        #expect(other.fullFingerprint != popular.fullFingerprint, "different probabilities")
        // p(popular) from the turned head is 1 − p(other) from the recipe's.
        let embedding = Tensor(shape: [1, 512], storage: (0..<512).map { Float($0 % 7) / 7 - 0.4 })
        let p = 1 / (1 + exp(-Double(head.forward(embedding).storage[0])))
        let q = 1 / (1 + exp(-Double(flipped.forward(embedding).storage[0])))
        #expect(abs(p + q - 1) < 1e-6, "p \(p), q \(q)")
    }

    @Test func rawResNetCheckpointIsNormalisedTheImageNetWay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-logit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("plain.safetensors")
        try SafeTensors(tensors: FormulaWeights.stateDict(ResNet18.parameterShapes(classes: 1)).renamed { "base_model." + $0 }).write(to: url)
        let model = try CoverModel.load(contentsOf: url)
        #expect(model.preprocessing.normalization == .imagenet && model.popularityHead != nil)
    }

    private func evaluation(logits: [Float], labels: [Float]) -> Evaluation {
        Evaluation(model: "m", architecture: "resnet18", data: "d", classCounts: [],
                   metrics: BinaryClassificationMetrics(logits: logits, labels: labels), trainingValidation: nil, skipped: [])
    }

    @Test func evaluationNoticesARankingTurnedRound() {
        let labels: [Float] = (0..<40).map { $0 < 20 ? 1 : 0 }
        let ranked: [Float] = (0..<40).map { Float($0) }   // every other cover above every popular one: AUC 0
        #expect(evaluation(logits: ranked, labels: labels).suggestsFlippedLogit)
        #expect(!evaluation(logits: ranked.map { -$0 }, labels: labels).suggestsFlippedLogit, "AUC 1")
        // Below 0.4 but within three chance deviations (0.092 for 20 covers a class) of 0.5: no sign.
        var shuffled = ranked
        shuffled.swapAt(0, 39); shuffled.swapAt(1, 38); shuffled.swapAt(2, 30); shuffled.swapAt(5, 25)
        let chance = evaluation(logits: shuffled, labels: labels)
        #expect(abs((chance.metrics.rocAUC ?? 0) - 0.31) < 1e-9, "AUC \(chance.metrics.rocAUC ?? -1)")
        #expect(!chance.suggestsFlippedLogit)
        // The same AUC from 400 covers a class is no accident.
        let many = evaluation(logits: (0..<20).flatMap { _ in shuffled }, labels: (0..<20).flatMap { _ in labels })
        #expect(abs((many.metrics.rocAUC ?? 0) - 0.31) < 1e-9 && many.suggestsFlippedLogit)
        #expect(!evaluation(logits: [1, 2], labels: [1, 1]).suggestsFlippedLogit, "one class: no AUC")
    }
}
