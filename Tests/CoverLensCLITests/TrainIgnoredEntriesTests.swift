import Foundation
import Testing

/// Issue 21, point 6, for `train`: what the class folders hold that is not a cover (a note, a
/// hidden file) and files lying beside the class folders are named and counted, as `score` and
/// `embed` do, and do not change the exit status.
@Suite("train names what it ignores", .serialized)
final class TrainIgnoredEntriesTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-train-ignored-\(UUID().uuidString)")
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    @Test("a note, a hidden file and a file beside the class folders: three 'ignored' lines, counted, exit 0")
    func namesAndCountsIgnoredEntries() throws {
        let data = work.appendingPathComponent("data")
        try BadCorpus.copyExampleCovers("popular", count: 4, to: data.appendingPathComponent("popular"))
        try BadCorpus.copyExampleCovers("other", count: 4, to: data.appendingPathComponent("other"))
        try Data("shortlist for the spring list\n".utf8).write(to: data.appendingPathComponent("popular/notes.txt"))
        try Data([0, 0, 0, 1]).write(to: data.appendingPathComponent("other/.DS_Store"))
        try Data("how these were chosen\n".utf8).write(to: data.appendingPathComponent("README.txt"))
        let outcome = try CLI.run(["train", data.path, "--epochs", "1", "--out", work.appendingPathComponent("t").path,
                                   "--model", try CLI.model(), "--no-cache"], in: work)
        #expect(outcome.status == 0, "\(outcome)")
        for line in ["ignored popular/notes.txt: not an image", "ignored other/.DS_Store: hidden", "ignored README.txt: beside the class folders"] {
            #expect(outcome.stderr.contains(line), "missing '\(line)': \(outcome)")
        }
        #expect(outcome.stdout.contains("3 entries in the cover folders ignored"), "\(outcome)")
    }
}
