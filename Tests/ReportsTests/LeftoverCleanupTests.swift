import Foundation
import Testing
@testable import Reports

/// Leftovers of killed runs are cleared once they are clearly stale, and only then.
@Suite struct LeftoverCleanupTests {
    @Test func staleTemporaryFoldersGoFreshOnesStay() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let fm = FileManager.default
        try fm.createDirectory(at: sample.output, withIntermediateDirectories: true)
        let stale = sample.output.appendingPathComponent(".run.tmp-deadbeef")
        let fresh = sample.output.appendingPathComponent(".run.tmp-0badf00d")
        let unrelated = sample.output.appendingPathComponent(".other.tmp-deadbeef")
        for folder in [stale, fresh, unrelated] { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        for folder in [stale, unrelated] { try fm.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: folder.path) }
        try ReportWriter(result: SampleReport.result(), templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("run"), formats: [.html])
        #expect(!fm.fileExists(atPath: stale.path), "stale leftover of this bundle kept")
        #expect(fm.fileExists(atPath: fresh.path), "a possibly running write's folder was deleted")
        #expect(fm.fileExists(atPath: unrelated.path), "another bundle's folder was deleted")
    }
}
