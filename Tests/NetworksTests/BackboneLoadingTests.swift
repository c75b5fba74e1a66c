import Testing
import Tensors
@testable import Networks

/// `init(stateDict:)` rejects checkpoints that do not fit, with every problem named.
@Suite struct BackboneLoadingTests {
    private func problems(_ body: () throws -> Void) -> [String] {
        do {
            try body()
        } catch CheckpointError.architectureMismatch(_, _, let problems) {
            return problems
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return []
    }

    @Test func missingTensorIsNamed() {
        var dict = FormulaWeights.stateDict(ResNet18.parameterShapes())
        dict["layer3.1.bn2.running_var"] = nil
        let found = problems { _ = try ResNet18(stateDict: dict) }
        #expect(found == ["missing tensor 'layer3.1.bn2.running_var' [256]"], "\(found)")
    }

    @Test func wrongShapeIsNamed() {
        var dict = FormulaWeights.stateDict(EfficientNetLite0.parameterShapes())
        dict["_blocks.3._depthwise_conv.weight"] = StoredTensor(Tensor(shape: [144, 1, 3, 3]))
        let found = problems { _ = try EfficientNetLite0(stateDict: dict) }
        #expect(found == ["'_blocks.3._depthwise_conv.weight' has shape [144, 1, 3, 3], expected [144, 1, 5, 5]"], "\(found)")
    }

    @Test func anotherArchitecturesCheckpointIsRecognised() {
        let resnet = FormulaWeights.stateDict(ResNet18.parameterShapes())
        let asEfficientNet = problems { _ = try EfficientNetLite0(stateDict: resnet) }
        #expect(asEfficientNet.first == "this is a resnet18 checkpoint, not efficientnet-lite0 (it has 'conv1.weight')", "\(asEfficientNet.prefix(2))")
        let efficientNet = FormulaWeights.stateDict(EfficientNetLite0.parameterShapes())
        let asResNet = problems { _ = try ResNet18(stateDict: efficientNet) }
        #expect(asResNet.first == "this is a efficientnet-lite0 checkpoint, not resnet18 (it has '_conv_stem.weight')", "\(asResNet.prefix(2))")
    }

    @Test func classifierIsOptionalAndMayHaveOneOutput() throws {
        let headless = try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes(classes: nil)))
        #expect(headless.classifier == nil, "no fc in the checkpoint, yet a classifier")
        #expect(throws: NetworkError.noClassifier(architecture: "resnet18")) {
            _ = try headless.logits(Tensor(shape: [1, 3, 32, 32]), compute: .default)
        }
        let popularity = try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes(classes: 1)))
        let x = Tensor(shape: [2, 3, 64, 64], repeating: 0.5)
        #expect(try popularity.logits(x, compute: .default).shape == [2, 1], "1-logit head output shape")
        #expect(popularity.embedding(x, compute: .default).shape == [2, popularity.embeddingDimension], "embedding shape")
    }

    @Test func unexpectedTensorIsReported() {
        var dict = FormulaWeights.stateDict(ResNet18.parameterShapes())
        dict["layer5.0.conv1.weight"] = StoredTensor(Tensor(shape: [1]))
        dict["bn1.num_batches_tracked"] = StoredTensor(shape: [], values: .int64([0]))
        let found = problems { _ = try ResNet18(stateDict: dict) }
        #expect(found == ["unexpected tensor 'layer5.0.conv1.weight'"], "\(found)")
    }
}
