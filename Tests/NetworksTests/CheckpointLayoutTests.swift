import Foundation
import Testing
@testable import Networks

@Suite struct CheckpointLayoutTests {
    private func tensor(_ shape: [Int]) -> StoredTensor {
        StoredTensor(shape: shape, values: .float32([Float](repeating: 0.5, count: shape.reduce(1, *))))
    }

    @Test func recipeLayoutKeepsItsHeadInsideBaseModel() throws {
        let dict = StateDict([("base_model.conv1.weight", tensor([64, 3, 7, 7])), ("base_model.bn1.num_batches_tracked", tensor([])),
                              ("base_model.fc.weight", tensor([1, 512])), ("base_model.fc.bias", tensor([1]))])
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
        #expect(mapped.names == ["conv1.weight", "bn1.num_batches_tracked", "fc.weight", "fc.bias"], "names \(mapped.names)")
        #expect(mapped["fc.weight"] == dict["base_model.fc.weight"], "head weight moved unchanged")
        #expect(ModelHead(of: mapped, architecture: .resnet18) == .popularity)
    }

    @Test func recipeLayoutBehindDataParallel() throws {
        let dict = StateDict([("module.base_model.conv1.weight", tensor([64, 3, 7, 7])),
                              ("module.base_model.fc.weight", tensor([1, 512])), ("module.base_model.fc.bias", tensor([1]))])
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
        #expect(mapped.names == ["conv1.weight", "fc.weight", "fc.bias"], "names \(mapped.names)")
    }

    @Test func recipeLayoutWithAnEfficientNetBaseModel() throws {
        let dict = StateDict([("base_model._conv_stem.weight", tensor([32, 3, 3, 3])),
                              ("base_model._fc.weight", tensor([1, 1280])), ("base_model._fc.bias", tensor([1]))])
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .efficientNetLite0)
        #expect(mapped.names == ["_conv_stem.weight", "_fc.weight", "_fc.bias"], "names \(mapped.names)")
        #expect(ModelHead(of: mapped, architecture: .efficientNetLite0) == .popularity)
    }

    @Test func wrappedImageNetClassifierIsKept() throws {
        let dict = StateDict([("base_model.conv1.weight", tensor([64, 3, 7, 7])),
                              ("base_model.fc.weight", tensor([1000, 512])), ("base_model.fc.bias", tensor([1000]))])
        #expect(ModelHead(of: try CheckpointLayout.backboneNames(dict, architecture: .resnet18), architecture: .resnet18) == .classes(1000))
    }

    /// One sentence: the tensor as the file names it, the shape found, the shapes expected.
    @Test(arguments: [
        ("base_model.fc.weight", [2, 512], "[1, 512]"),
        ("base_model.fc.weight", [1, 256], "[1, 512]"),
        ("fc.weight", [10, 512], "[1000, 512]"),
        ("module.fc.weight", [2, 512], "[1, 512]"),
    ])
    func headOfAnotherShapeIsOneSentence(_ name: String, _ shape: [Int], _ expected: String) throws {
        let prefix = String(name.dropLast("fc.weight".count))
        let dict = StateDict([(prefix + "conv1.weight", tensor([64, 3, 7, 7])), (name, tensor(shape)),
                              (prefix + "fc.bias", tensor([shape[0]]))], source: "model.pth")
        do {
            _ = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
            Issue.record("head \(shape) accepted")
        } catch let error as CheckpointError {
            let text = error.description
            #expect(text.hasPrefix("model.pth: the head '\(name)' has shape \(shape)"), "\(text)")
            #expect(text.contains(expected) && !text.contains("\n"), "\(text)")
        }
    }

    @Test func twoHeadsAreRefused() {
        let dict = StateDict([("base_model.conv1.weight", tensor([64, 3, 7, 7])), ("base_model.fc.weight", tensor([1, 512])),
                              ("base_model.fc.bias", tensor([1])), ("fc.weight", tensor([1, 512])), ("fc.bias", tensor([1]))])
        #expect(throws: CheckpointError.self) { try CheckpointLayout.backboneNames(dict, architecture: .resnet18) }
    }

    /// `customcnn.pth`: the backbone under base_model. without its classifier, the head beside it.
    @Test func headBesideBaseModelGetsResNetNames() throws {
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.pth("customcnn.pth"))
        let mapped = try CheckpointLayout.backboneNames(dict, architecture: .resnet18)
        #expect(mapped.names == ["conv1.weight", "bn1.weight", "fc.weight", "fc.bias"], "names \(mapped.names)")
        #expect(mapped["fc.weight"] == dict["fc.weight"], "head weight moved unchanged")
        #expect(ModelHead(of: mapped, architecture: .resnet18) == .popularity)
    }

    @Test func headBesideBaseModelGoesToEfficientNetClassifierNames() throws {
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
        #expect(metadata.dictionary["logitMeans"] == nil, "only a one-logit head says what it predicts")
    }

    @Test func recordsWhatTheLogitPredicts() throws {
        let flipped = ModelFileMetadata(architecture: .resnet18, preprocessing: "{}", head: .popularity, logitMeans: .other)
        #expect(flipped.dictionary["logitMeans"] == "other")
        #expect(try ModelFileMetadata(flipped.dictionary, path: "m.safetensors") == flipped)
        var unrecorded = flipped.dictionary
        unrecorded["logitMeans"] = nil
        #expect(try ModelFileMetadata(unrecorded, path: "m.safetensors").logitMeans == .popular, "files before logitMeans: popular")
        unrecorded["logitMeans"] = "bestseller"
        #expect(throws: CheckpointError.self) { try ModelFileMetadata(unrecorded, path: "m.safetensors") }
    }

    /// ImageFolder numbers class folders in Python's sorted order (code points), and the logit predicts label 1.
    @Test(arguments: [
        ("popular", "unpopular", LogitMeaning.other), ("bestseller", "other", .other), ("popular", "other", .popular),
        ("top", "rest", .popular), ("Popular", "other", .other), ("인기", "other", .popular),
    ])
    func recipeFolderNamesSayWhatTheLogitPredicts(_ popular: String, _ other: String, _ meaning: LogitMeaning) {
        #expect(LogitMeaning(popularFolder: popular, otherFolder: other) == meaning, "\(popular) / \(other)")
    }

    @Test func sameFolderNameTwiceSaysNothing() {
        #expect(LogitMeaning(popularFolder: "covers", otherFolder: "covers") == nil)
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
