import Foundation
import Testing

/// When a file the CLI tests need is not there, the error says which one and how to make it, so
/// a machine without scripts/setup.sh's model is not sent to rebuild a binary it already has.
@Suite struct MissingPrerequisiteTests {
    /// An empty folder standing in for Models/ before scripts/setup.sh ran.
    static func emptyModels() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The message of what `body` throws, which must name `subject` and `remedy` and not the binary.
    func expectNamed(_ subject: String, remedy: String, in folder: URL, _ body: () throws -> String) {
        do {
            let found = try body()
            Issue.record("found \(found) in an empty folder")
        } catch {
            let message = "\(error)"
            #expect(message.contains(subject), "should say the \(subject) is missing: \(message)")
            #expect(!message.contains("binary") && !message.contains("swift build"), "a missing model is not a missing binary: \(message)")
            #expect(message.contains(folder.path) && message.contains(remedy), "should say where it looked and what to run: \(message)")
        }
    }

    @Test func aMissingModelSaysTheModelFileIsMissing() throws {
        let folder = try Self.emptyModels()
        defer { try? FileManager.default.removeItem(at: folder) }
        expectNamed("model file", remedy: "scripts/setup.sh", in: folder) { try CLI.model(in: folder) }
    }

    @Test func aMissingBinaryStillSaysTheBinaryIsMissing() {
        let message = CLI.Missing.binary(searched: ["/nowhere/coverlens"]).description
        #expect(message.contains("coverlens binary") && message.contains("/nowhere/coverlens") && message.contains("swift build"), "\(message)")
    }

    @Test func missingPyTorchWeightsSayTheWeightsAreMissing() throws {
        let folder = try Self.emptyModels()
        defer { try? FileManager.default.removeItem(at: folder) }
        expectNamed("PyTorch weights file", remedy: "scripts/setup.sh", in: folder) { try CLI.pytorchWeights(in: folder) }
    }
}
