import Foundation
import Tensors
import Testing
@testable import Networks

/// ResNet18 against PyTorch: formula weights (always; they are computed, no file needed), and the
/// seeded random weights with full activations when ../shared/reference holds them (a visible skip
/// otherwise).
@Suite struct ResNet18ParityTests {
    static let formulaModel = try! ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes()))
    static let formulaOutputs = try! ReferenceFile("resnet18_formula_outputs.safetensors")

    @Test func formulaWeightsReproduceTheReferenceValues() throws {
        let dict = FormulaWeights.stateDict(ResNet18.parameterShapes())
        #expect(dict.count == 102, "formula state dict size")
        for name in ["conv1.weight", "bn1.weight", "bn1.bias"] {
            let ours = Array(try dict.tensor(name).storage.prefix(4))
            #expect(ours == (try Self.formulaOutputs.tensor("first4.\(name)")).storage, "first4.\(name)")
        }
    }

    /// Every image with both GEMM libraries (oneDNN and OpenBLAS), whatever this run would choose.
    @Test(arguments: ReferenceData.images, GEMMLibrary.allCases)
    func formulaLogitsAndEmbeddingMatchPyTorch(_ image: String, library: GEMMLibrary) throws {
        let x = try ReferenceData.input(image)
        let compute = ComputeContext(gemm: library)
        let embedding = Self.formulaModel.embedding(x, compute: compute)
        let logits = try Self.formulaModel.logits(x, compute: compute)
        let refEmbedding = try Self.formulaOutputs.tensor("\(image).embedding")
        let refLogits = try Self.formulaOutputs.tensor("\(image).logits")
        #expect(embedding.shape == [1, 512] && logits.shape == [1, 1000], "\(image) shapes")
        #expect(maxAbsDifference(logits, refLogits) <= 1e-5, "\(image) logits")
        #expect(maxAbsDifference(embedding, refEmbedding) <= 1e-3, "\(image) embedding max abs diff")
        #expect(cosine(embedding, refEmbedding) >= 0.99999, "\(image) embedding cosine")
        #expect(topK(logits) == topK(refLogits), "\(image) top-5")
    }

    @Test func batchOfFourGivesTheSameRowsAsSingleImages() throws {
        let batch = try ReferenceData.batch()
        let logits = try Self.formulaModel.logits(batch, compute: .default)
        for (i, image) in ReferenceData.images.enumerated() {
            let ref = try Self.formulaOutputs.tensor("\(image).logits")
            #expect(maxAbsDifference(logits.slice(batch: i..<(i + 1)), ref) <= 1e-5, "\(image) in a batch of 4")
        }
    }

    /// Two workers run a batch of five as four sub-batches of one, one, one and two images, two per
    /// worker taken in turn (`processesSubBatches`, `mapBatchChunks`): every image comes back, in
    /// order, with the bits each sub-batch gives on one worker.
    @Test func oddBatchOnTwoWorkersKeepsEveryImage() throws {
        var values: [Float] = []
        for i in 0..<5 {
            for j in 0..<(3 * 64 * 64) { values.append(Float((j * (i + 3)) % 17) / 17 - 0.5) }
        }
        let x = Tensor(shape: [5, 3, 64, 64], storage: values)
        let one = ComputeContext(workers: 1)
        let expected = Tensor.concatenate(batch: [0..<1, 1..<2, 2..<3, 3..<5].map {
            Self.formulaModel.embedding(x.slice(batch: $0), compute: one)
        })
        let embedding = Self.formulaModel.embedding(x, compute: ComputeContext(workers: 2))
        #expect(embedding.shape == [5, 512])
        #expect(embedding.storage == expected.storage)
        #expect(Self.formulaModel.featureMaps(x, compute: ComputeContext(workers: 2)).shape == [5, 512, 2, 2])
    }

    @Test(.enabled(if: ReferenceData.seededResNet18Weights != nil, ReferenceData.seededResNet18Missing),
          arguments: GEMMLibrary.allCases)
    func seededWeightsMatchPyTorchIncludingActivations(_ library: GEMMLibrary) throws {
        let weights = try #require(ReferenceData.seededResNet18Weights)
        let model = try ResNet18(stateDict: SafeTensors(contentsOf: weights).tensors)
        let outputs = try SafeTensors(contentsOf: weights.deletingLastPathComponent().appendingPathComponent("resnet18_outputs.safetensors"))
        for image in ReferenceData.images {
            let x = try ReferenceData.input(image)
            let taps = model.activations(x, compute: ComputeContext(gemm: library))
            let refLogits = try outputs.tensor("\(image).logits")
            #expect(maxAbsDifference(taps["logits"]!, refLogits) <= 1e-3, "\(image) logits")
            let embedding = try #require(taps["embedding"]), refEmbedding = try outputs.tensor("\(image).embedding")
            #expect(maxAbsDifference(embedding, refEmbedding) <= 1e-3, "\(image) embedding max abs diff")
            #expect(cosine(embedding, refEmbedding) >= 0.99999, "\(image) embedding cosine")
            #expect(topK(taps["logits"]!) == topK(refLogits), "\(image) top-5")
            guard image == "cover_224" else { continue }
            for tap in ["stem", "layer1", "layer2", "layer3", "layer4"] {
                let ref = try outputs.tensor("\(image).tap.\(tap)")
                let ours = try #require(taps[tap], "tap \(tap) missing")
                #expect(ours.shape == ref.shape, "tap \(tap) shape")
                #expect(maxAbsDifference(ours, ref) <= 1e-4 * maxAbs(ref) + 1e-5, "tap \(tap)")
            }
        }
    }
}
