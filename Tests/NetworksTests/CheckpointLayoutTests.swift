import Foundation
import Testing
@testable import Networks

@Suite struct CheckpointLayoutTests {
    private func tensor(_ shape: [Int]) -> StoredTensor {
        StoredTensor(shape: shape, values: .float32([Float](repeating: 0.5, count: shape.reduce(1, *))))
    }

    @Test func customCNNBackboneAndHeadGetResNetNames() throws {
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.pth("customcnn.pth"))
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
        #expect(mapped.names == ["conv1.weight", "bn1.weight", "fc.weight", "fc.bias"], "names \(mapped.names)")
        #expect(mapped["fc.weight"] == dict["fc.weight"], "head weight moved unchanged")
        #expect(ModelHead(of: mapped, architecture: .resnet18) == .popularity)
    }

    @Test func customCNNHeadGoesToEfficientNetClassifierNames() throws {
        let dict = StateDict([("base_model._conv_stem.weight", tensor([32, 3, 3, 3])),
                              ("fc.weight", tensor([1, 1280])), ("fc.bias", tensor([1]))])
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .efficientNetLite0)
        #expect(mapped.names == ["_conv_stem.weight", "_fc.weight", "_fc.bias"], "names \(mapped.names)")
    }

    @Test func headOfTheWrongWidthIsRefused() throws {
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.pth("customcnn.pth"))
        #expect(throws: CheckpointError.self) { try CheckpointLayout.backboneNames(dict, architecture: .efficientNetLite0) }
    }

    @Test func strayKeysNextToBaseModelAreRefused() {
        let dict = StateDict([("base_model.conv1.weight", tensor([64, 3, 7, 7])), ("extra.weight", tensor([2]))], source: "x.pth")
        do {
            _ = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
            Issue.record("stray key accepted")
        } catch let error as CheckpointError {
            #expect(error.description.contains("unexpected tensor 'extra.weight'"), "\(error)")
            #expect(error.description.hasPrefix("x.pth: "), "\(error)")
        } catch {
            Issue.record("untyped \(error)")
        }
    }

    @Test func dataParallelPrefixIsStripped() throws {
        let dict = StateDict([("module.conv1.weight", tensor([64, 3, 7, 7])), ("module.fc.bias", tensor([1000]))])
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
        #expect(mapped.names == ["conv1.weight", "fc.bias"], "names \(mapped.names)")
    }

    @Test func plainBackboneIsUnchanged() throws {
        let dict = StateDict([("conv1.weight", tensor([64, 3, 7, 7])), ("fc.weight", tensor([1000, 512]))])
        #expect(try CheckpointLayout.backboneNames(dict, architecture: .resnet18) == dict)
        #expect(ModelHead(of: dict, architecture: .resnet18) == .classes(1000))
        #expect(ModelHead(of: StateDict(), architecture: .resnet18) == ModelHead.none)
    }
}

@Suite struct ModelFileMetadataTests {
    @Test func roundTripsThroughTheDictionary() throws {
        let metadata = ModelFileMetadata(architecture: .resnet18, preprocessing: #"{"size":224}"#, head: .classes(1000),
                                         extra: ["source": "a.pth"])
        let back = try ModelFileMetadata(metadata.dictionary, path: "m.safetensors")
        #expect(back == metadata)
        #expect(metadata.dictionary["format"] == "coverlens-model" && metadata.dictionary["head"] == "classes:1000")
    }

    @Test(arguments: [
        ["format": "other"],
        ["format": "coverlens-model", "version": "2", "architecture": "resnet18", "preprocessing": "{}", "head": "none"],
        ["format": "coverlens-model", "version": "1", "architecture": "vgg16", "preprocessing": "{}", "head": "none"],
        ["format": "coverlens-model", "version": "1", "architecture": "resnet18", "preprocessing": "{}", "head": "classes:x"],
        ["format": "coverlens-model", "version": "1", "architecture": "resnet18", "head": "none"],
    ])
    func invalidMetadataIsRefused(_ dictionary: [String: String]) {
        #expect(throws: CheckpointError.self, "\(dictionary)") { try ModelFileMetadata(dictionary, path: "m.safetensors") }
    }
}
