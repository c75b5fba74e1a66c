import Foundation
import Testing

/// Issue 8, point 5, "a full disk": the report, the model and the embedding cache each fail with
/// exit status 6 and one sentence that says the disk is full and what to do. Needs root to mount
/// a small tmpfs; elsewhere it is skipped, saying so, and TensorsTests' AtomicFileDiskFullTests
/// still check the error mapping and that a full disk leaves the previous file intact.
extension ActionableErrorTests {
    @Test("a full disk: exit 6 and 'free some space' for the report, the model and the cache",
          .enabled(if: FullDisk.canMount, FullDisk.cannotMount))
    func fullDisk() throws {
        let previous = Data("path,previous embeddings\n".utf8)
        let disk = try #require(try FullDisk(at: work.appendingPathComponent("full"), keeping: ["embeddings.csv": previous]),
                                "mounting a 64 KB tmpfs failed")
        defer { disk.unmount() }
        let full = disk.folder.path

        // A file written before (AtomicFile's temporary-then-rename) stays as it was, and no
        // temporary is left behind: 4 covers' embeddings need about 40 KB, 4 KB are free.
        let embed = try CLI.run(["embed", popular.path, "--out", full + "/embeddings.csv", "--model", try CLI.model(), "--no-cache"], in: work)
        expectOneSentence(embed, status: 6, subject: full + "/embeddings.csv", advice: ["disk is full; free some space"])
        #expect(FileManager.default.contents(atPath: full + "/embeddings.csv") == previous, "the previous embeddings.csv changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: full).sorted() == ["embeddings.csv", "filler"],
                "a temporary file was left on the full disk")

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
