import Foundation
@testable import Reports
import Support
import Testing

/// Leftovers of killed runs are cleared once they are clearly stale, and only then: when the process
/// named in them has ended, or (names without a process id) after an hour.
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

    @Test func leftoversOfEndedProcessesGoThoseOfLiveOnesStay() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let fm = FileManager.default
        try fm.createDirectory(at: sample.output, withIntermediateDirectories: true)
        let ended = try Self.endedProcessID()
        // Made a second ago, so only the process id can tell that nobody will finish them.
        let abandoned = [".run.tmp-\(ended)-0badf00d", ".run.zip.tmp-\(ended)-0badf00d", ".run.old-\(ended)-0badf00d"]
        let running = [".run.tmp-1-0badf00d", ".run.tmp-\(getpid())-0badf00d"]   // init, and this process
        for name in abandoned + running {
            try fm.createDirectory(at: sample.output.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try ReportWriter(result: SampleReport.result(), templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("run"), formats: [.html])
        for name in abandoned {
            #expect(!fm.fileExists(atPath: sample.output.appendingPathComponent(name).path), "\(name) of an ended run kept")
        }
        for name in running {
            #expect(fm.fileExists(atPath: sample.output.appendingPathComponent(name).path), "\(name) of a live process deleted")
        }
    }

    /// The id of a process that has just ended (a `true` that was waited for).
    static func endedProcessID() throws -> Int32 {
        let process = try ChildProcess(executable: "/bin/true", arguments: [])
        process.wait()
        return process.processIdentifier
    }
}
