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

    @Test func customCNNResNetGetsAPopularityHead() throws {
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
