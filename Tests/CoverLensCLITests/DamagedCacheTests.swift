import Foundation
import Testing

/// The embedding cache is derived data, so a damaged one costs a rebuild, not the run: `score`
/// and `embed` say once which file was unusable and why, move it to `<file>.damaged` untouched,
/// and finish with exactly the results of a run without a cache.
@Suite("A damaged embedding cache", .serialized)
final class DamagedCacheTests {
    let work: URL
    let popular: URL
    let candidates: URL
    let cache: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-cache-\(UUID().uuidString)")
        popular = work.appendingPathComponent("popular")
        candidates = work.appendingPathComponent("candidates")
        cache = work.appendingPathComponent("cache/embeddings.sqlite")
        try BadCorpus.copyExampleCovers("popular", count: 4, to: popular)
        try BadCorpus.copyExampleCovers("candidates", count: 2, to: candidates)
        try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    /// Swift Testing makes one instance per test: its work folder goes with it.
    deinit { try? FileManager.default.removeItem(at: work) }

    /// `score` into `work/out` (json and csv), with the test's cache or none; returns results.json too.
    func score(out: String, cached: Bool = true) throws -> (outcome: CLI.Outcome, results: Data?) {
        let folder = work.appendingPathComponent(out)
        let outcome = try CLI.run(["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "json,csv",
                                   "--out", folder.path, "--model", try CLI.model()]
                                  + (cached ? ["--cache", cache.path] : ["--no-cache"]), in: work)
        return (outcome, try? Data(contentsOf: folder.appendingPathComponent("results.json")))
    }

    /// results.json of a run without a cache: what every recovered run must give.
    func reference() throws -> Data {
        let run = try score(out: "reference", cached: false)
        return try #require(run.results, "the run without a cache must work: \(run.outcome)")
    }

    /// Runs sqlite3 on `file`; a missing tool fails the test with what to install.
    @discardableResult
    func sqlite(_ file: URL, _ sql: String) throws -> String {
        let result = try #require(CLI.tool("/usr/bin/sqlite3", [file.path, sql]), "sqlite3 is not installed (scripts/setup.sh installs it)")
        try #require(result.status == 0, "sqlite3 \(file.lastPathComponent) \"\(sql.prefix(80))…\" failed")
        return result.output
    }

    /// A cache written by a real run, checkpointed into one file (sqlite3 folds the log in on close).
    func validCache() throws -> Data {
        let first = try score(out: "first")
        try #require(first.outcome.status == 0, "the run that fills the cache must work: \(first.outcome)")
        try sqlite(cache, "PRAGMA wal_checkpoint(TRUNCATE);")
        let log = FileManager.default.contents(atPath: cache.path + "-wal") ?? Data()
        #expect(log.isEmpty, "the cache's write-ahead log should be folded in (\(log.count) bytes left)")
        return try Data(contentsOf: cache)
    }

    /// The run worked, warned once naming the cache and the reason, left `damaged` byte for byte
    /// at `<cache>.damaged`, and gave `reference`'s results; a second run uses the new cache quietly.
    func expectRecovered(_ run: (outcome: CLI.Outcome, results: Data?), damaged: Data, reason: String, reference: Data) throws {
        let outcome = run.outcome
        #expect(outcome.status == 0 && !outcome.signalled, "a damaged cache must not stop the run: \(outcome)")
        let warnings = outcome.messages.filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 1, "one warning expected: \(outcome)")
        let moved = cache.path + ".damaged"
        if let line = warnings.first {
            #expect(line.contains("\(cache.path) is not a usable embedding cache") && line.contains("moved to \(moved)"),
                    "the warning should name the cache and where it went: \(line)")
            #expect(line.contains(reason), "the warning should say '\(reason)': \(line)")
        }
        #expect(FileManager.default.contents(atPath: moved) == damaged, "\(moved) should hold the damaged file unchanged")
        #expect(run.results == reference, "results with a rebuilt cache differ from a run without a cache")
        let again = try score(out: "again")
        #expect(again.outcome.status == 0 && !again.outcome.messages.contains { $0.hasPrefix("warning:") },
                "the rebuilt cache should serve the next run without a warning: \(again.outcome)")
        #expect(again.results == reference, "results from the rebuilt cache differ from a run without a cache")
    }

    @Test("random bytes: score sets them aside, rebuilds, and scores as without a cache")
    func randomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try garbage.write(to: cache)
        try expectRecovered(try score(out: "run"), damaged: garbage, reason: "not an SQLite database", reference: try reference())
    }

    @Test("a cache cut to half its length: set aside as truncated, rebuilt")
    func truncated() throws {
        let whole = try validCache()
        let half = whole.prefix(whole.count / 2)
        try half.write(to: cache)
        try expectRecovered(try score(out: "run"), damaged: half, reason: "truncated: \(half.count) of \(whole.count) bytes",
                            reference: try reference())
    }

    /// A real cache whose `covers` table page is damaged where only reading the page shows it (its
    /// page-type byte zeroed; the schema on page 1 is intact): SQLite's own page check must reject it.
    @Test("a page SQLite's integrity check rejects: set aside, rebuilt, scored as without a cache")
    func damagedPage() throws {
        _ = try validCache()
        let number = { (sql: String) throws -> Int in
            let text = try self.sqlite(self.cache, sql).trimmingCharacters(in: .whitespacesAndNewlines)
            return try #require(Int(text), "sqlite3 printed '\(text)' for \(sql)")
        }
        let pageSize = try number("PRAGMA page_size;")
        let root = try number("SELECT rootpage FROM sqlite_master WHERE name = 'covers';")
        try #require(root > 1, "the covers table should not live on page 1")
        var bytes = try Data(contentsOf: cache)
        bytes[(root - 1) * pageSize] = 0
        try bytes.write(to: cache)
        try expectRecovered(try score(out: "run"), damaged: bytes, reason: "SQLite's integrity check says", reference: try reference())
    }

    /// Other programs' SQLite files given as the cache; each must come back byte for byte.
    static let foreignDatabases: [(sql: String, reason: String)] = [
        ("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO books (title) VALUES ('Kept');",
         "a database of another program, with tables books"),
        ("CREATE TABLE covers (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO covers (title) VALUES ('Kept');",
         "a database of another program, with tables covers"),
        ("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1'), ('v7');",
         "schema version v7"),
        ("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1');"
            + " CREATE TABLE covers (content_hash TEXT, model TEXT, vector BLOB); CREATE TABLE attention (content_hash TEXT);",
         "the table attention has columns content_hash"),
    ]

    @Test("another program's SQLite database or another schema: set aside untouched, rebuilt", arguments: 0..<foreignDatabases.count)
    func foreignSchema(_ index: Int) throws {
        let (sql, reason) = Self.foreignDatabases[index]
        try sqlite(cache, sql)
        let foreign = try Data(contentsOf: cache)
        try expectRecovered(try score(out: "run"), damaged: foreign, reason: reason, reference: try reference())
    }

    @Test("damaged rows (a number for an embedding, a short or NaN embedding, statistics that are not JSON): recomputed")
    func damagedRows() throws {
        _ = try validCache()
        let nans = "X'" + String(repeating: "0000C07F", count: 1280) + "'"
        try sqlite(cache, """
            UPDATE covers SET embedding = 42 WHERE rowid = 1; UPDATE covers SET embedding = X'0000803F' WHERE rowid = 2;
            UPDATE covers SET embedding = \(nans) WHERE rowid = 3; UPDATE covers SET statistics = 'not json' WHERE rowid = 4;
            """)
        let run = try score(out: "run")
        #expect(run.outcome.status == 0 && !run.outcome.signalled, "damaged rows must not stop the run: \(run.outcome)")
        #expect(run.results == (try reference()), "results with damaged rows differ from a run without a cache")
        // Two kinds of rows: each cover's embedding (1,280 floats) and its copy descriptor (model key
        // ending in |copy-bands-vN, 4,365 floats); a damaged row of either kind is replaced.
        #expect(try sqlite(cache, """
            SELECT count(*) FROM covers WHERE typeof(embedding) != 'blob'
                OR length(embedding) != (CASE WHEN model LIKE '%|copy-bands-%' THEN 17460 ELSE 5120 END);
            """).trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the damaged rows should have been replaced")
    }

    @Test("embed with random bytes as its cache: warns, sets them aside, writes the embeddings of a run without a cache")
    func embedRecovers() throws {
        try Data(repeating: 0x5A, count: 4096).write(to: cache)
        let arguments = ["embed", popular.path, "--model", try CLI.model()]
        let plain = try CLI.run(arguments + ["--out", work.appendingPathComponent("plain.csv").path, "--no-cache"], in: work)
        try #require(plain.status == 0, "embed without a cache must work: \(plain)")
        let run = try CLI.run(arguments + ["--out", work.appendingPathComponent("run.csv").path, "--cache", cache.path], in: work)
        #expect(run.status == 0 && !run.signalled, "a damaged cache must not stop embed: \(run)")
        #expect(run.messages.filter { $0.hasPrefix("warning:") && $0.contains(cache.path) && $0.contains(".damaged") }.count == 1,
                "one warning naming the cache expected: \(run)")
        #expect(FileManager.default.contents(atPath: cache.path + ".damaged") == Data(repeating: 0x5A, count: 4096))
        #expect(FileManager.default.contents(atPath: work.appendingPathComponent("run.csv").path)
                == FileManager.default.contents(atPath: work.appendingPathComponent("plain.csv").path),
                "embeddings with a rebuilt cache differ from a run without a cache")
    }

    @Test("a second damaged cache does not overwrite the first one set aside")
    func secondDamagedCache() throws {
        try Data(repeating: 1, count: 100).write(to: cache)
        try Data(repeating: 2, count: 100).write(to: URL(fileURLWithPath: cache.path + ".damaged"))
        let run = try score(out: "run")
        #expect(run.outcome.status == 0, "\(run.outcome)")
        #expect(FileManager.default.contents(atPath: cache.path + ".damaged") == Data(repeating: 2, count: 100),
                "the earlier .damaged file was overwritten")
        #expect(FileManager.default.contents(atPath: cache.path + ".damaged-2") == Data(repeating: 1, count: 100),
                "the new damaged file should be at .damaged-2")
    }
}
