import Foundation
import Runs
import Testing

/// The default model and Examples/ are found from the binary's folder upwards, then the current folder.
@Suite struct DefaultPathsTests {
    private let root = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-paths-\(UUID().uuidString)")

    private func make(_ path: String, file: Bool = false) throws {
        let url = root.appendingPathComponent(path)
        if file {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        } else {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
    }

    @Test func modelBesideTheRepositoryThatHoldsTheBinary() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try make("repo/Models/efficientnet-lite0.safetensors", file: true)
        try make("repo/.build/x86_64-unknown-linux-gnu/release/coverlens", file: true)
        try make("repo/Examples/popular")
        try make("elsewhere")
        let paths = DefaultPaths(executable: root.appendingPathComponent("repo/.build/x86_64-unknown-linux-gnu/release/coverlens"),
                                 currentDirectory: root.appendingPathComponent("elsewhere"))
        #expect(paths.model.standardizedFileURL == root.appendingPathComponent("repo/Models/efficientnet-lite0.safetensors").standardizedFileURL)
        #expect(try paths.examples().standardizedFileURL == root.appendingPathComponent("repo/Examples").standardizedFileURL)
    }

    @Test func currentFolderWhenTheBinaryHasNoModelsNearby() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try make("bin/coverlens", file: true)
        try make("work/Examples/popular")
        let work = root.appendingPathComponent("work")
        let paths = DefaultPaths(executable: root.appendingPathComponent("bin/coverlens"), currentDirectory: work)
        #expect(paths.model == work.appendingPathComponent("Models/efficientnet-lite0.safetensors"))
        #expect(try paths.examples() == work.appendingPathComponent("Examples"))
    }

    @Test func missingExamplesSayHowToFindThem() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try make("bin/coverlens", file: true)
        try make("empty")
        let paths = DefaultPaths(executable: root.appendingPathComponent("bin/coverlens"), currentDirectory: root.appendingPathComponent("empty"))
        #expect(throws: (any Error).self) { try paths.examples() }
        do { _ = try paths.examples() } catch {
            #expect("\(error)".contains("--examples"), "\(error)")
        }
    }
}
