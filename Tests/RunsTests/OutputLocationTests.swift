import Foundation
import Testing
@testable import Runs

/// `--out` names a folder: a new one named like a file (`model.safetensors`, `results.csv`) is
/// refused with the reason, an existing folder of any name is used.
@Suite struct OutputLocationTests {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("output-location-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aNewFolderNamedLikeAFileIsRefused() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["model.safetensors", "results.CSV", "report.pdf"] {
            let error = try #require(throws: OutputLocation.Unusable.self) { try OutputLocation.checkFolder(dir.appendingPathComponent(name)) }
            #expect(error.problem.contains("file, but --out is the folder"), "\(error)")
        }
        #expect(throws: Never.self) { try OutputLocation.checkFolder(dir.appendingPathComponent("train-2026")) }
    }

    @Test func anExistingFolderNamedLikeAFileIsUsed() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kept = dir.appendingPathComponent("kept.json")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        #expect(throws: Never.self) { try OutputLocation.checkFolder(kept) }
    }
}
