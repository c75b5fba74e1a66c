import CoverAnalysis
import Foundation
import Support
import Testing
@testable import Store

/// Indexed search against the exact answer, on clustered vectors (as embeddings of covers are).
@Suite struct SearchTests {
    @Test func indexedSearchHasRecallAtTenOfAtLeast099() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("recall")
        let store = try PostgresStoreTests.open(url)
        let d = 48, n = 4000
        var random = SeededGenerator(seed: 18)
        let centres = (0..<40).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &random) } }
        func point(near centre: [Float], spread: Float) -> [Float] {
            centre.map { $0 + Float.random(in: -spread...spread, using: &random) }
        }
        let vectors = (0..<n).map { point(near: centres[$0 % centres.count], spread: 0.35) }
        for start in stride(from: 0, to: n, by: 500) {
            try store.save((start..<min(n, start + 500)).map {
                CoverRecord(contentHash: String(format: "h%05d", $0), modelFingerprint: "m", embedding: vectors[$0])
            })
        }
        let index = try store.buildIndex(modelFingerprint: "m")
        #expect(index.created && index.index.bytes > 0)

        // The planner does use the index for the candidate query (and not for the exact one).
        let literal = "'[" + vectors[0].map { "\($0)" }.joined(separator: ",") + "]'"
        let plan = try server.psql(url.database, "SET hnsw.ef_search = 40; EXPLAIN " + PostgresStore.candidateSQL(
            modelID: 1, dimension: d, limit: 40, filtered: false, exact: false).replacingOccurrences(of: "$1::real[]", with: literal))
        #expect(plan.contains(index.index.name), "\(plan)")

        let queries = (0..<60).map { point(near: centres[($0 * 7) % centres.count], spread: 0.4) }
        var found = 0
        for query in queries {
            let exact = try store.nearest(to: query, modelFingerprint: "m", k: 10, exact: true)
            let indexed = try store.nearest(to: query, modelFingerprint: "m", k: 10)
            #expect(exact.count == 10 && indexed.count == 10)
            found += Set(indexed.map(\.contentHash)).intersection(exact.map(\.contentHash)).count
            // The exact answer is the brute-force answer computed here.
            let brute = PostgresStore.rerank(query, vectors.enumerated().map { (String(format: "h%05d", $0.offset), $0.element) })
            #expect(exact.map(\.contentHash) == brute.prefix(10).map(\.contentHash))
        }
        let recall = Double(found) / Double(queries.count * 10)
        print("recall@10 of the HNSW search (\(n) vectors, \(d)-d, 40 clusters, 40 candidates re-ranked): \(recall)")
        #expect(recall >= 0.99)
    }
}
