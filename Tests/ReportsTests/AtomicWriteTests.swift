import Foundation
import Testing
@testable import Reports

/// A report is replaced whole or not at all, and never replaces a folder that is not a report.
@Suite struct AtomicWriteTests {
    private func writer() -> ReportWriter {
        ReportWriter(result: SampleReport.result(), covers: .none, templates: TestPaths.templates)
    }

    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for file in try AtomicBundle.files(in: folder) { files[file] = try Data(contentsOf: folder.appendingPathComponent(file)) }
        return files
    }

    @Test(arguments: ["results", "covers", "figures", "html", "pdf"])
    func interruptedRunLeavesThePreviousBundleIntact(_ stage: String) throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let destination = sample.output.appendingPathComponent("run")
        let first = try writer().write(to: destination, formats: [.html, .pdf], language: .en)
        let before = try snapshot(destination)
        let zipBefore = try Data(contentsOf: first.zip)

        struct Interrupted: Error {}
        var failing = writer()
        failing.result.candidates.removeLast()
        failing.checkpoint = { if $0 == stage { throw Interrupted() } }
        #expect(throws: ReportError.self, "interrupted at \(stage) but the write succeeded") {
            try failing.write(to: destination, formats: [.html, .pdf], language: .ko)
        }
        #expect(try snapshot(destination) == before, "bundle changed after a failure at \(stage)")
        #expect(try Data(contentsOf: first.zip) == zipBefore, "zip changed after a failure at \(stage)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sample.output.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func unwritableOutputFolderFailsWithoutTouchingTheOldBundle() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let destination = sample.output.appendingPathComponent("run")
        try writer().write(to: destination, formats: [.html], language: .en)
        let before = try snapshot(destination)
        // The parent replaced by a plain file: nothing can be created beside the bundle.
        let blocked = sample.root.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocked)
        #expect(throws: ReportError.self) {
            try writer().write(to: blocked.appendingPathComponent("run"), formats: [.html], language: .en)
        }
        if getuid() != 0 {   // permissions do not stop root
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: sample.output.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sample.output.path) }
            #expect(throws: ReportError.self) { try writer().write(to: destination, formats: [.html], language: .en) }
        }
        #expect(try snapshot(destination) == before, "old bundle changed")
    }

    @Test func refusesToReplaceAFolderThatIsNotAReport() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let documents = sample.root.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: documents.appendingPathComponent("results.json"))
        try Data("keep me".utf8).write(to: documents.appendingPathComponent("thesis.docx"))
        #expect(throws: ReportError.notABundle(path: documents.standardizedFileURL.path)) {
            try writer().write(to: documents, formats: [.html], language: .en)
        }
        #expect(FileManager.default.fileExists(atPath: documents.appendingPathComponent("thesis.docx").path), "user file deleted")
    }
}
