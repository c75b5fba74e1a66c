import Foundation
import Testing

/// Issue 8, point 5, "a full disk": the report, the model and the embedding cache each fail with
/// exit status 6 and one sentence that says the disk is full and what to do. Needs root to mount
/// a small tmpfs; elsewhere the error mapping is covered by TensorsTests' AtomicFileDiskFullTests.
extension ActionableErrorTests {
    @Test("a full disk: exit 6 and 'free some space' for the report, the model and the cache")
    func fullDisk() throws {
        guard let disk = try FullDisk(at: work.appendingPathComponent("full")) else {
            print("note: cannot mount a tmpfs (not root?); the full-disk CLI check is skipped")
            return
        }
        defer { disk.unmount() }
        let full = disk.folder.path

        let report = try score(popular: popular.path, out: full + "/report")
        expectOneSentence(report, status: 6, subject: full + "/report", advice: ["disk is full; free some space"])

        let cache = try CLI.run(["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "json",
                                 "--out", work.appendingPathComponent("out").path, "--model", try CLI.model(),
                                 "--cache", full + "/cache.sqlite"], in: work)
        expectOneSentence(cache, status: 6, subject: full + "/cache.sqlite", advice: ["disk is full; free some space"])

        let other = work.appendingPathComponent("other")
        try BadCorpus.copyExampleCovers("other", count: 4, to: other)
        let train = try CLI.run(["train", "--popular", popular.path, "--other", other.path, "--epochs", "2",
                                 "--out", full + "/model", "--model", try CLI.model(), "--no-cache"], in: work)
        expectOneSentence(train, status: 6, subject: full + "/model", advice: ["disk is full; free some space"])
    }
}
