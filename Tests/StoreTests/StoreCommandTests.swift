import Foundation
import Testing
@testable import Store

/// `coverlens embed --store --collection --shard` and `coverlens store status` as workers run
/// them, against the real server: shards, SIGKILL, concurrent workers, re-runs, errors.
@Suite(.serialized) struct StoreCommandTests {
    /// A folder of `count` of the bundled example covers (copied, so the test owns it).
    static func covers(_ count: Int) throws -> URL {
        let source = CoverlensProcess.repository.appendingPathComponent("Examples/popular")
        let files = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".jpg") }.sorted()
        try #require(files.count >= count, "Examples/popular has \(files.count) covers")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("coverlens-store-covers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("a"), withIntermediateDirectories: true)
        for (i, name) in files.prefix(count).enumerated() {
            // Two sub-folders, so relative paths with a slash are sharded too.
            try FileManager.default.copyItem(at: source.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(i % 2 == 0 ? "a/\(name)" : name))
        }
        return folder
    }

    static func embed(_ folder: URL, url: String, collection: String = "popular-2026", shard: String? = nil,
                      extra: [String] = []) throws -> [String] {
        ["embed", folder.path, "--store", url, "--collection", collection, "--model", try CoverlensProcess.model(),
         "--batch", "4", "--threads", "1"] + (shard.map { ["--shard", $0] } ?? []) + extra
    }

    @Test func shardsKilledWorkersAndConcurrentWorkersEndWithEveryCoverOnce() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("cli")
        let folder = try Self.covers(48)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = server.environment

        // Shard 0/3 runs to the end; shard 1/3 is killed part-way; shard 2/3 never starts.
        let first = try CoverlensProcess.run(Self.embed(folder, url: url, shard: "0/3"), environment: environment)
        #expect(first.status == 0, "\(first)")
        // Batches of 2 for the worker that is killed, so its shard (about 16 files) is many transactions.
        let worker = try CoverlensProcess.start(Self.embed(folder, url: url, shard: "1/3", extra: ["--batch", "2"]), environment: environment)
        let deadline = Date().addingTimeInterval(300)
        // Kill it once at least one batch is stored (a member row of shard 1 exists).
        while Date() < deadline {
            if let rows = try? server.psql(url.database, "SELECT count(*) FROM coverlens_members WHERE shard_count = 3 AND shard_index = 1"),
               (Int(rows) ?? 0) >= 1 { break }
            usleep(50_000)
        }
        worker.kill()
        let killed = worker.wait()
        let status = try CoverlensProcess.run(["store", "status", "--store", url, "--collection", "popular-2026"], environment: environment)
        #expect(status.status == 3, "\(status)")
        #expect(status.stdout.contains("1 of 3 complete"), "\(status)")
        #expect(status.stdout.contains("2 (never started)"), "\(status)")
        try #require(killed.signalled, "the worker ended before the kill: \(killed)")
        let registered = Int(try server.psql(url.database, "SELECT count(*) FROM coverlens_members WHERE shard_count = 3 AND shard_index = 1")) ?? 0
        let expected = Int(try server.psql(url.database, "SELECT expected FROM coverlens_shards WHERE shard_count = 3 AND shard_index = 1")) ?? 0
        #expect(registered < expected, "the kill landed after the shard's last batch (\(registered) of \(expected))")
        #expect(status.stdout.contains("1 (\(registered) of \(expected) files, not finished)"), "\(status)")

        // The killed shard again, and shard 2 by two workers at once.
        let again = try CoverlensProcess.run(Self.embed(folder, url: url, shard: "1/3"), environment: environment)
        #expect(again.status == 0, "\(again)")
        let twins = try (0..<2).map { _ in try CoverlensProcess.start(Self.embed(folder, url: url, shard: "2/3"), environment: environment) }
        for twin in twins { let outcome = twin.wait(); #expect(outcome.status == 0, "\(outcome)") }

        let done = try CoverlensProcess.run(["store", "status", "--store", url, "--collection", "popular-2026"], environment: environment)
        #expect(done.status == 0, "\(done)")
        #expect(done.stdout.contains("48 files registered") && done.stdout.contains("48 embedded") && done.stdout.contains("3 of 3 complete"), "\(done)")
        // Every cover once: an embedding and a copy descriptor each, no duplicates, no strays.
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "96")
        #expect(try server.psql(url.database, "SELECT count(*), count(DISTINCT path) FROM coverlens_members") == "48|48")

        // Re-running the whole folder unsharded changes nothing (every cover is found in the store).
        let before = try server.psql(url.database, "SELECT md5(string_agg(content_hash || embedding::text, ',' ORDER BY content_hash, model_id)) FROM coverlens_covers")
        let rerun = try CoverlensProcess.run(Self.embed(folder, url: url), environment: environment)
        #expect(rerun.status == 0, "\(rerun)")
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "96")
        #expect(try server.psql(url.database, "SELECT md5(string_agg(content_hash || embedding::text, ',' ORDER BY content_hash, model_id)) FROM coverlens_covers") == before)
    }

    @Test func storeErrorsExitWithTheirOwnStatusAndNeverShowThePassword() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("clierrors")
        let folder = try Self.covers(2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrong = try CoverlensProcess.run(Self.embed(folder, url: url), environment: ["PGPASSWORD": "wrong-secret-xyz"])
        #expect(wrong.status == 8, "\(wrong)")
        #expect(!wrong.stderr.contains("wrong-secret-xyz") && !wrong.stdout.contains("wrong-secret-xyz"))
        let inURL = url.replacingOccurrences(of: "coverlens@", with: "coverlens:url-secret-abc@").replacingOccurrences(of: "?sslmode=disable", with: "")
        let withPassword = try CoverlensProcess.run(Self.embed(folder, url: inURL + "?sslmode=disable"))
        #expect(withPassword.status == 8, "\(withPassword)")
        #expect(!withPassword.stderr.contains("url-secret-abc"), "\(withPassword)")
        let closed = "postgresql://coverlens@127.0.0.1:\(try TestServer.freePort())/x?sslmode=disable"
        let unreachable = try CoverlensProcess.run(Self.embed(folder, url: closed), environment: server.environment)
        #expect(unreachable.status == 7, "\(unreachable)")
        let badShard = try CoverlensProcess.run(Self.embed(folder, url: url, shard: "3/3"), environment: server.environment)
        #expect(badShard.status == 64, "\(badShard)")
        let slurm = try CoverlensProcess.run(Self.embed(folder, url: url), environment: server.environment.merging(
            ["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"]) { $1 })
        #expect(slurm.status == 64, "\(slurm)")   // index 4 of 4
        let noCollection = try CoverlensProcess.run(["store", "status", "--store", url, "--collection", "nope"], environment: server.environment)
        #expect(noCollection.status == 4, "\(noCollection)")
    }
}
