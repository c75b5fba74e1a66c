import CoverAnalysis
import Foundation
import Support
import Testing
@testable import Store

/// `coverlens store index` against the real server: it builds the HNSW index once, `store status`
/// shows it, the planner uses it for the search a scoring run makes (the same SQL, bound values
/// and settings), and the answers are those of the exact scan before it existed.
@Suite(.serialized) struct IndexCommandTests {
    static let model = "bench-48d"

    /// A collection `c` of `n` clustered 48-d vectors (one shard, finished), and the vectors.
    static func collection(_ url: String, n: Int) throws -> (PostgresStore, [[Float]]) {
        let store = try PostgresStoreTests.open(url)
        var random = SeededGenerator(seed: 18)
        let centres = (0..<30).map { _ in (0..<48).map { _ in Float.random(in: -1...1, using: &random) } }
        let vectors = (0..<n).map { i in centres[i % centres.count].map { $0 + Float.random(in: -0.35...0.35, using: &random) } }
        try store.beginShard(collection: "c", shard: try Shard(index: 0, count: 1), modelFingerprint: model, dimension: 48,
                             label: "test 48-d", expected: n)
        for start in stride(from: 0, to: n, by: 500) {
            let range = start..<min(n, start + 500)
            try store.save(range.map { CoverRecord(contentHash: String(format: "h%05d", $0), modelFingerprint: model, embedding: vectors[$0]) },
                           files: range.map { ScannedFileKey(relativePath: "covers/\($0).jpg", contentHash: String(format: "h%05d", $0)) })
        }
        try store.finishShard(modelFingerprint: model, paths: (0..<n).map { "covers/\($0).jpg" })
        return (store, vectors)
    }

    @Test func indexIsBuiltOnceShownByStatusUsedByThePlannerAndLeavesAnswersUnchanged() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("index")
        let (store, vectors) = try Self.collection(url, n: 3000)
        let environment = server.environment
        func coverlens(_ arguments: [String]) throws -> CoverlensProcess.Outcome {
            try CoverlensProcess.run(["store"] + arguments + ["--store", url], environment: environment)
        }

        // Before: no index, and the answers (through the collection, as scoring asks) are exact scans.
        var random = SeededGenerator(seed: 7)
        let queries = (0..<30).map { q in vectors[(q * 97) % vectors.count].map { $0 + Float.random(in: -0.4...0.4, using: &random) } }
        let before = try queries.map { try store.nearest(to: $0, modelFingerprint: Self.model, k: 10, collection: "c") }
        let unindexed = try coverlens(["status", "--collection", "c"])
        #expect(unindexed.status == 0, "\(unindexed)")
        #expect(unindexed.stdout.contains("embeddings not indexed (searches scan exactly"), "\(unindexed)")
        #expect(try store.candidatePlan(for: queries[0], modelFingerprint: Self.model, k: 10, collection: "c").contains("hnsw") == false)

        // The build: one line before, one after, with the size; the index exists with the defaults.
        let built = try coverlens(["index", "--collection", "c"])
        #expect(built.status == 0, "\(built)")
        #expect(built.stdout.contains("test 48-d: building an HNSW index (cosine) over 3000 vectors of 48-d, m 32, ef_construction 128"), "\(built)")
        #expect(built.stdout.contains("built coverlens_hnsw_model_1 in "), "\(built)")
        let info = try #require(try store.index(modelFingerprint: Self.model))
        #expect(info.valid && info.bytes > 0 && info.parameters == .init(m: 32, efConstruction: 128))
        #expect(try server.psql(url.database, "SELECT indexdef FROM pg_indexes WHERE indexname = 'coverlens_hnsw_model_1'")
            .contains("USING hnsw (((embedding)::vector(48)) vector_cosine_ops) WITH (m='32', ef_construction='128') WHERE ((model_id = 1)"))

        // Idempotent: a second run says it exists and builds nothing.
        let again = try coverlens(["index", "--collection", "c"])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("coverlens_hnsw_model_1 exists, m 32, ef_construction 128") && again.stdout.contains("nothing to do"),
                "\(again)")
        #expect(!again.stdout.contains("building"), "\(again)")
        let indexed = try coverlens(["status", "--collection", "c"])
        #expect(indexed.stdout.contains("search index of test 48-d: embeddings m 32, ef_construction 128, "), "\(indexed)")
        #expect(indexed.stdout.contains("; no copy descriptors stored"), "\(indexed)")

        // The planner uses it for the search scoring makes (bound query vector, collection filter),
        // and for the search over the whole model.
        for collection in ["c", nil] {
            let plan = try store.candidatePlan(for: queries[0], modelFingerprint: Self.model, k: 10, collection: collection)
            #expect(plan.contains("Index Scan using coverlens_hnsw_model_1"), "\(plan)")
        }

        // hnsw.ef_search reaches the query (SET LOCAL in the query's own transaction): pgvector 0.6
        // returns no more rows than it, so 5 of the 40 asked for.
        #expect(try store.candidates(for: queries[0], modelFingerprint: Self.model, limit: 40, efSearch: 5).count == 5)
        #expect(try store.candidates(for: queries[0], modelFingerprint: Self.model, limit: 40, efSearch: 40).count == 40)

        // The answers are the exact scan's (3,000 vectors: the default search depth covers them).
        let after = try queries.map { try store.nearest(to: $0, modelFingerprint: Self.model, k: 10, collection: "c") }
        #expect(after == before)

        // Other parameters only with --rebuild; a graph larger than the memory given still builds (on disk) and says so.
        let other = try coverlens(["index", "--collection", "c", "--m", "8", "--ef-construction", "32"])
        #expect(other.stdout.contains("(not the m 8, ef_construction 32 asked for: --rebuild replaces it)"), "\(other)")
        let rebuilt = try coverlens(["index", "--m", "8", "--ef-construction", "32", "--rebuild", "--maintenance-work-mem", "1MB"])
        #expect(rebuilt.status == 0, "\(rebuilt)")
        #expect(rebuilt.stdout.contains("the graph did not fit, so most of it was built on disk"), "\(rebuilt)")
        #expect(try store.index(modelFingerprint: Self.model)?.parameters == .init(m: 8, efConstruction: 32))
        // (Its answers are not compared: a graph this sparse can leave a vector with no way in, which
        // no search depth finds; README, "Past one machine", on recall.)
    }

    @Test func indexErrorsAreOneSentenceWithTheirOwnStatus() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("indexerrors")
        _ = try PostgresStoreTests.open(url)
        func coverlens(_ arguments: [String]) throws -> CoverlensProcess.Outcome {
            try CoverlensProcess.run(["store", "index", "--store", url] + arguments, environment: server.environment)
        }
        let empty = try coverlens([])
        #expect(empty.status == 4 && empty.stderr.contains("there are no vectors in the store to index; embed covers first"), "\(empty)")
        let unknown = try coverlens(["--collection", "nope"])
        #expect(unknown.status == 4 && unknown.stderr.contains("there is no collection named nope"), "\(unknown)")
        let badM = try coverlens(["--m", "40", "--ef-construction", "64"])
        #expect(badM.status == 64 && badM.stderr.contains("ef_construction must be at least 2 × m (80)"), "\(badM)")
        let badMemory = try coverlens(["--maintenance-work-mem", "lots"])
        #expect(badMemory.status == 64 && badMemory.stderr.contains("--maintenance-work-mem lots is not a size"), "\(badMemory)")
        let closed = try CoverlensProcess.run(["store", "index", "--store", "postgresql://coverlens@127.0.0.1:\(try TestServer.freePort())/x?sslmode=disable"])
        #expect(closed.status == 7, "\(closed)")
        for outcome in [empty, unknown, closed] {
            #expect(outcome.stderr.split(separator: "\n").filter { !$0.isEmpty }.count == 1, "one sentence: \(outcome)")
        }
    }

    @Test func parametersAreCheckedAndTheGraphEstimated() {
        #expect(PostgresStore.IndexParameters(m: 16, efConstruction: 64).problem == nil)
        #expect(PostgresStore.IndexParameters(m: 1, efConstruction: 64).problem != nil)
        #expect(PostgresStore.IndexParameters(m: 16, efConstruction: 1001).problem != nil)
        // 1M vectors of 1,280-d with m 16: about 5.8 GB of graph.
        #expect((5_700_000_000...5_900_000_000).contains(PostgresStore.estimatedGraphBytes(vectors: 1_000_000, dimension: 1280, m: 16)))
        #expect(PostgresStore.IndexParameters.defaults.problem == nil)
    }
}
