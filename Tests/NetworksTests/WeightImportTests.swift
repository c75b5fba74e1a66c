import Foundation
import Testing
@testable import Networks

/// `coverlens import-weights` end to end at library level: checkpoint in, model file out, read back.
@Suite struct WeightImportTests {
    private let preprocessing = #"{"geometry":"stretch","normalization":"efficientnet","size":224}"#

    @Test func efficientNetWeightsBecomeAModelFile() throws {
        let source = try #require(CheckpointFixtures.efficientNetWeights(),
                                  "efficientnet-lite0-57934424.pth not found: run scripts/setup.sh")
        let folder = try CheckpointFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("efficientnet-lite0.safetensors")
        try WeightImport.model(from: source, architecture: .efficientNetLite0, preprocessing: preprocessing).write(to: out)

        let model = try SafeTensors(contentsOf: out)
        let metadata = try ModelFileMetadata(model.metadata, path: out.path)
        #expect(metadata.architecture == .efficientNetLite0 && metadata.head == .classes(1000), "\(model.metadata)")
        #expect(metadata.preprocessing == preprocessing)
        let original = try loadStateDict(contentsOf: source)
        #expect(model.tensors.names == original.names, "tensor names or order changed")
        for name in ["_conv_stem.weight", "_blocks.5._depthwise_conv.weight", "_fc.weight", "_bn1.running_var"] {
            #expect(model[name] == original[name], "\(name) differs after the round trip")
        }
        _ = try EfficientNetLite0(stateDict: model.tensors)
    }

    /// The recipe's own checkpoint (scripts/make-pth-fixtures.py --recipe): every tensor is the
    /// formula's, and the imported model's logit is w · embedding + b for the reference embeddings
    /// and PyTorch's own logit 0 (the head is row 0 of the reference's formula classifier).
    @Test func recipeCheckpointImportsWithItsHead() throws {
        let source = try CheckpointFixtures.recipeResNet18()
        let model = try WeightImport.model(from: source, architecture: .resnet18, preprocessing: preprocessing)
        #expect(model.metadata["head"] == "popularity" && model.metadata["logitMeans"] == "popular", "\(model.metadata)")
        let formula = FormulaWeights.stateDict(ResNet18.parameterShapes(classes: 1))
        #expect(model.tensors.names.filter { !$0.hasSuffix("num_batches_tracked") } == formula.names, "names or order")
        #expect(model.tensors.names.filter { $0.hasSuffix("num_batches_tracked") }.count == 20, "BatchNorm counters kept")
        for name in formula.names {
            #expect(try model.tensors.tensor(name).storage == formula.tensor(name).storage, "\(name) differs from the formula")
        }

        let network = try ResNet18(stateDict: model.tensors.filter { name, _ in !name.hasSuffix("num_batches_tracked") })
        let w = try formula.tensor("fc.weight").storage.map(Double.init), b = Double(try formula.tensor("fc.bias").storage[0])
        let outputs = ResNet18ParityTests.formulaOutputs
        for image in ReferenceData.images {
            let logit = Double(try network.logits(ReferenceData.input(image), compute: .default).storage[0])
            let embedding = try outputs.values("\(image).embedding")
            let expected = zip(w, embedding).reduce(b) { $0 + $1.0 * $1.1 }
            #expect(abs(logit - expected) <= 1e-5, "\(image): logit \(logit), w · embedding + b = \(expected)")
            let pytorch = try outputs.values("\(image).logits")[0]
            #expect(abs(logit - pytorch) <= 1e-5, "\(image): logit \(logit), PyTorch's logit 0 \(pytorch)")
        }
    }

    @Test func recordsWhatTheLogitPredicts() throws {
        let model = try WeightImport.model(from: CheckpointFixtures.recipeResNet18(), architecture: .resnet18,
                                           preprocessing: preprocessing, logitMeans: .other)
        #expect(model.metadata["logitMeans"] == "other", "\(model.metadata)")
        let original = try loadStateDict(contentsOf: CheckpointFixtures.recipeResNet18())
        #expect(model["fc.weight"] == original["base_model.fc.weight"], "the file keeps PyTorch's values; loading turns the head round")
    }

    /// The layout CoverLens read before the recipe's own: backbone under base_model. without a
    /// classifier, the head beside it as fc.
    @Test func headBesideBaseModelGetsAPopularityHead() throws {
        let backbone = FormulaWeights.stateDict(ResNet18.parameterShapes(classes: nil))
        var custom = backbone.renamed { "base_model." + $0 }
        custom["fc.weight"] = StoredTensor(shape: [1, 512], values: .float32((0..<512).map { Float($0) / 512 }))
        custom["fc.bias"] = StoredTensor(shape: [1], values: .float32([0.25]))
        let folder = try CheckpointFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("customcnn.safetensors")
        try SafeTensors(tensors: custom).write(to: input)

        let model = try WeightImport.model(from: input, architecture: .resnet18, preprocessing: preprocessing)
        #expect(model.metadata["head"] == "popularity", "\(model.metadata)")
        #expect(model.tensors.names == backbone.names + ["fc.weight", "fc.bias"], "names \(model.tensors.names.suffix(3))")
        let network = try ResNet18(stateDict: model.tensors)
        #expect(network.classifier?.weight.shape == [1, 512])
    }

    @Test func wrongArchitectureIsReportedWithEveryProblem() throws {
        let source = try #require(CheckpointFixtures.efficientNetWeights(), "run scripts/setup.sh")
        do {
            _ = try WeightImport.model(from: source, architecture: .resnet18, preprocessing: preprocessing)
            Issue.record("EfficientNet weights accepted as ResNet18")
        } catch let CheckpointError.architectureMismatch(path, architecture, problems) {
            #expect(path == source.path && architecture == "resnet18")
            #expect(problems.contains { $0.contains("conv1.weight") }, "problems: \(problems.prefix(3))")
        }
    }

    @Test func tinyCustomCNNFailsValidation() {
        #expect(throws: CheckpointError.self) {
            try WeightImport.model(from: CheckpointFixtures.pth("customcnn.pth"), architecture: .resnet18, preprocessing: preprocessing)
        }
    }
}
