import Foundation
import Testing
@testable import Networks

/// Small `.pth` files written by scripts/make-pth-fixtures.py (PyTorch's zip and legacy layouts
/// reproduced with pickle + zipfile) against the logical values the script started from.
@Suite struct PthImportTests {
    private struct Expected: Decodable {
        var shape: [Int]
        var values: [Double]
    }

    private func expected(_ set: String) throws -> [String: Expected] {
        let data = try Data(contentsOf: CheckpointFixtures.pth("expected.json"))
        return try #require(try JSONDecoder().decode([String: [String: Expected]].self, from: data)[set], "no \(set) in expected.json")
    }

    private func expectMatches(_ file: String, set: String) throws {
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.pth(file))
        let reference = try expected(set)
        #expect(Set(dict.names) == Set(reference.keys), "\(file): keys \(dict.names)")
        for (name, want) in reference {
            let got = try #require(dict[name], "\(file): missing \(name)")
            #expect(got.shape == want.shape, "\(file) \(name): shape \(got.shape) vs \(want.shape)")
            #expect(got.doubles == want.values.map { got.dtype == .float32 ? Double(Float($0)) : $0 },
                    "\(file) \(name): values \(got.doubles) vs \(want.values)")
        }
    }

    @Test(arguments: ["tiny_zip.pth", "tiny_zip_protocol4.pth", "tiny_legacy.pth"])
    func tinyStateDictReadsThroughStrides(_ file: String) throws {
        try expectMatches(file, set: "tiny")
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.pth(file))
        #expect(dict.names == ["conv.weight", "fc.weight", "fc.bias", "head.scale", "bn.num_batches_tracked", "stats"],
                "\(file): order \(dict.names)")
        #expect(dict["bn.num_batches_tracked"]?.values == .int64([7]), "\(file): num_batches_tracked")
        #expect(dict["stats"]?.dtype == .float64, "\(file): stats dtype")
    }

    @Test func transposedWeightIsReadInLogicalOrder() throws {
        // Storage [1.5, -2, 3.25, 4, -5.5, 6] with strides (1, 2): rows are the even and odd elements.
        let weight = try loadStateDict(contentsOf: CheckpointFixtures.pth("tiny_zip.pth")).tensor("fc.weight")
        #expect(weight.storage == [1.5, 3.25, -5.5, -2, 4, 6], "fc.weight \(weight.storage)")
    }

    @Test func customCNNStateDict() throws {
        try expectMatches("customcnn.pth", set: "customcnn")
    }

    @Test func safetensorsAreDetectedByContent() throws {
        let dict = try loadStateDict(contentsOf: CheckpointFixtures.reference("train_step.safetensors"))
        #expect(dict["batch_labels"]?.shape == [4, 1], "batch_labels via loadStateDict")
    }
}

@Suite struct PthHostileTests {
    private func expectError(_ bytes: Data, _ kind: String, _ label: String, contains: String? = nil) {
        do {
            _ = try loadStateDict(bytes: bytes, path: label)
            Issue.record("\(label): read without error")
        } catch let error as CheckpointError {
            #expect(Mirror(reflecting: error).children.first?.label == kind, "\(label): got \(error)")
            #expect(error.description.hasPrefix("\(label): "), "\(label): message \(error.description)")
            if let contains { #expect(error.description.contains(contains), "\(label): message \(error.description)") }
        } catch {
            Issue.record("\(label): untyped error \(error)")
        }
    }

    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: CheckpointFixtures.pth(name))
    }

    @Test func unknownGlobalIsRefusedWithoutRunningIt() throws {
        expectError(try fixture("hostile_global.pth"), "badPickle", "hostile_global.pth", contains: "unsupported pickle global")
    }

    @Test func viewBeyondItsStorage() throws {
        expectError(try fixture("hostile_offset.pth"), "badTensor", "hostile_offset.pth", contains: "storage of 3")
    }

    @Test func compressedEntry() throws {
        expectError(try fixture("hostile_compressed.pth"), "badPickle", "hostile_compressed.pth", contains: "compressed")
    }

    @Test func halfPrecisionStorage() throws {
        expectError(try fixture("hostile_half.pth"), "unsupportedDType", "hostile_half.pth", contains: "F16")
    }

    @Test func truncatedZip() throws {
        expectError(try fixture("hostile_truncated.pth"), "badPickle", "hostile_truncated.pth", contains: "end-of-central-directory")
    }

    @Test func truncatedLegacyFileAtEveryCut() throws {
        let whole = try fixture("tiny_legacy.pth")
        for cut in stride(from: 4, to: whole.count, by: 7) {
            do {
                _ = try loadStateDict(bytes: whole.prefix(cut), path: "cut\(cut)")
                Issue.record("cut at \(cut) of \(whole.count) read without error")
            } catch is CheckpointError {
            } catch {
                Issue.record("cut at \(cut): untyped error \(error)")
            }
        }
    }

    @Test func hugeStringLengthDoesNotAllocate() {
        // PROTO 2, LONG1 magic, then BINUNICODE claiming 2 GB.
        var bytes = Data([0x80, 0x02, 0x8A, 0x0A] + LegacyTorchFile.magic + [0x2E])
        bytes += Data([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x41])
        expectError(bytes, "truncated", "huge.pth")
    }

    @Test func deepNestingIsRefused() {
        var pickle = Data([0x80, 0x02, 0x4E])
        pickle += Data(repeating: 0x85, count: 200)   // TUPLE1 × 200
        pickle += Data([0x2E])
        var bytes = Data([0x80, 0x02, 0x8A, 0x0A] + LegacyTorchFile.magic + [0x2E])
        bytes += Data([0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]) + Data([0x80, 0x02, 0x7D, 0x2E]) + pickle
        expectError(bytes, "badPickle", "deep.pth", contains: "nesting deeper")
    }

    @Test func randomBytesAreAnUnknownFormat() {
        expectError(Data("hello, not a model".utf8), "unknownFormat", "notes.txt")
    }
}
