import Foundation
import Testing

/// A damaged embedding cache that cannot be moved aside (its folder is read-only) cannot be
/// rebuilt either: exit status 6 and one sentence naming the file, which stays as it was.
extension ActionableErrorTests {
    /// As root, only a read-only mount stops writing; as another user, mode 555 does.
    @Test("a damaged cache in a read-only folder: exit 6, names the file, says what to do, leaves it alone",
          .enabled(if: !CLI.isRoot || FullDisk.canMount, "as root this needs a container that allows mounting a tmpfs"))
    func unreplaceableCache() throws {
        let garbage = Data("not a cache\n".utf8) + Data(repeating: 0xA5, count: 4096)
        let locked = try #require(try ReadOnlyFolder(at: work.appendingPathComponent("locked"), fill: { folder in
            try garbage.write(to: folder.appendingPathComponent("embeddings.sqlite"))
        }), "mounting a read-only tmpfs failed")
        defer { locked.release() }
        let cache = locked.folder.appendingPathComponent("embeddings.sqlite").path
        for arguments in [["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "json",
                           "--out", work.appendingPathComponent("out").path],
                          ["embed", popular.path, "--out", work.appendingPathComponent("e.csv").path]] {
            let outcome = try CLI.run(arguments + ["--model", try CLI.model(), "--cache", cache], in: work)
            expectOneSentence(outcome, status: 6, subject: cache, advice: ["--cache", "--no-cache"])
            #expect(FileManager.default.contents(atPath: cache) == garbage, "\(arguments[0]) changed the cache it could not replace")
            #expect(!FileManager.default.fileExists(atPath: cache + ".damaged"))
        }
    }
}
