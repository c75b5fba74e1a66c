import CoverAnalysis
import Foundation
import PostgresNIO

/// Nearest neighbours in the engine: pgvector proposes candidates, CoverLens ranks them exactly.
///
/// Each model fingerprint gets its own HNSW index (cosine) over `embedding::vector(D)`, partial on
/// that model, because one table holds every model's vectors and pgvector indexes only vectors of
/// one fixed length. HNSW is approximate and pgvector computes distances in single precision, so
/// the index fetches `candidates` rows (more than `k`) and CoverLens re-ranks them with exact
/// double-precision cosines. Without an index (`exact`, or before `buildIndex`) the same query is
/// an exact scan.
extension PostgresStore {
    /// One neighbour: a cover's content hash and its exact cosine to the query.
    public struct Neighbour: Sendable, Equatable {
        public var contentHash: String
        public var cosine: Double

        public init(contentHash: String, cosine: Double) {
            self.contentHash = contentHash
            self.cosine = cosine
        }
    }

    /// How many entries HNSW keeps while it walks the graph (pgvector's `hnsw.ef_search`, its
    /// default 40): with the graph's own parameters, what decides recall; 1000 is the most pgvector
    /// allows. Measured (README, "Past one machine"): on 200,000 1,280-d vectors with m 16, 40 rows
    /// fetched, recall@10 was 0.947, 0.970 and 0.977 at 100, 400 and 1000 (the misses neighbours
    /// the walk never reached, not near-ties or rows cut off before the re-rank); on 1,000,000 with
    /// the default graph (m 32, ef_construction 128) 1.0 at 400 and at 1000, median 44 and 77 ms.
    /// 1000 keeps a margin for collections harder than those synthetic ones.
    public static let defaultEfSearch = 1000

    /// The `k` covers nearest to `query` (cosine), best first, among the model's covers or, with
    /// `collection`, that collection's. `candidates` rows (default max(4k, 40)) come from pgvector
    /// (HNSW with `efSearch`, default `defaultEfSearch`, unless `exact`) and are re-ranked exactly
    /// here. A collection filter is applied after the index scan (pgvector 0.6 cannot filter inside
    /// HNSW); when it leaves fewer than `k`, the search reruns as an exact scan of the collection,
    /// so filtering never loses answers.
    public func nearest(to query: [Float], modelFingerprint: String, k: Int, collection: String? = nil,
                        candidates: Int? = nil, efSearch: Int? = nil, exact: Bool = false) throws -> [Neighbour] {
        let collectionID = try collection.map { try self.collection(named: $0, create: false) }
        let fetch = max(k, candidates ?? Self.defaultCandidates(k))
        let ef = Self.efSearch(efSearch ?? Self.defaultEfSearch, fetch: fetch)
        return try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return [] }
            guard model.dimension == query.count else {
                throw StoreError.dimensionMismatch(store: self.location.redacted, model: modelFingerprint,
                                                   stored: model.dimension, given: query.count)
            }
            var found = try self.fetch(query, model: model, limit: fetch, efSearch: ef, collectionID: collectionID, exact: exact, on: connection)
            if !exact, collectionID != nil, found.count < k {
                found = try self.fetch(query, model: model, limit: fetch, efSearch: ef, collectionID: collectionID, exact: true, on: connection)
            }
            return Array(Self.rerank(query, found).prefix(k))
        }
    }

    /// Candidate rows (hash, vector) ordered by pgvector's cosine distance.
    private func fetch(_ query: [Float], model: StoredModel, limit: Int, efSearch: Int, collectionID: Int?, exact: Bool,
                       on connection: PostgresConnection) throws -> [(String, [Float])] {
        try candidateQuery("", query, model: model, limit: limit, efSearch: efSearch, collectionID: collectionID, exact: exact,
                           on: connection).map { row in
            let r = row.makeRandomAccess()
            return (try r[0].decode(String.self), try r[1].decode([Float].self))
        }
    }

    /// The candidate query, after `prefix` ("" or "EXPLAIN "), in its own transaction with its settings.
    private func candidateQuery(_ prefix: String, _ query: [Float], model: StoredModel, limit: Int, efSearch: Int, collectionID: Int?,
                                exact: Bool, on connection: PostgresConnection) throws -> PostgresQueryResult {
        try transaction(on: connection) {
            // ef_search bounds how many candidates HNSW can return; index scans off forces the exact scan.
            _ = try connection.query(PostgresQuery(unsafeSQL: exact ? "SET LOCAL enable_indexscan = off"
                                                                    : "SET LOCAL hnsw.ef_search = \(efSearch)"),
                                     logger: self.logger).wait()
            // The model id and limit are numbers this code made, inlined so the planner can match the
            // partial index's `model_id = id`; the query vector ($1) and collection ($2) are bound.
            let sql = Self.candidateSQL(modelID: model.id, dimension: model.dimension, limit: limit, filtered: collectionID != nil, exact: exact)
            var binds = PostgresBindings()
            binds.append(query)
            if let collectionID { binds.append(collectionID) }
            return try connection.query(PostgresQuery(unsafeSQL: prefix + sql, binds: binds), logger: self.logger).wait()
        }
    }

    /// The candidate rows pgvector returns for `limit` rows at `efSearch`, before any re-ranking
    /// (tests check that the setting reaches the query: HNSW returns at most ef_search rows).
    func candidates(for query: [Float], modelFingerprint: String, limit: Int, efSearch: Int) throws -> [(String, [Float])] {
        try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return [] }
            return try self.fetch(query, model: model, limit: limit, efSearch: efSearch, collectionID: nil, exact: false, on: connection)
        }
    }

    /// The server's plan for `nearest`'s candidate query, with the same bound values and settings
    /// (tests check that the planner uses the HNSW index for it).
    func candidatePlan(for query: [Float], modelFingerprint: String, k: Int, collection: String? = nil) throws -> String {
        let collectionID = try collection.map { try self.collection(named: $0, create: false) }
        let fetch = Self.defaultCandidates(k)
        return try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return "" }
            return try self.candidateQuery("EXPLAIN ", query, model: model, limit: fetch, efSearch: Self.efSearch(Self.defaultEfSearch, fetch: fetch),
                                           collectionID: collectionID, exact: false, on: connection)
                .map { try $0.makeRandomAccess()[0].decode(String.self) }.joined(separator: "\n")
        }
    }

    /// Exact cosines in double precision, best first (ties by hash, so the order is reproducible).
    static func rerank(_ query: [Float], _ rows: [(String, [Float])]) -> [Neighbour] {
        let queryNorm = sqrt(query.reduce(0) { $0 + Double($1) * Double($1) })
        var seen = Set<String>()
        var result: [Neighbour] = []
        for (hash, vector) in rows where seen.insert(hash).inserted && vector.count == query.count {
            var dot = 0.0, norm = 0.0
            for i in 0..<vector.count {
                dot += Double(query[i]) * Double(vector[i])
                norm += Double(vector[i]) * Double(vector[i])
            }
            let cosine = queryNorm > 0 && norm > 0 ? dot / (queryNorm * sqrt(norm)) : 0
            result.append(Neighbour(contentHash: hash, cosine: cosine))
        }
        return result.sorted { ($0.cosine, $1.contentHash) > ($1.cosine, $0.contentHash) }
    }

    /// The candidate query: $1 the query vector (real[]), $2 the collection id when `filtered`.
    static func candidateSQL(modelID: Int, dimension d: Int, limit: Int, filtered: Bool, exact: Bool) -> String {
        let distance = "embedding::vector(\(d)) <=> $1::real[]::vector(\(d))"
        if filtered && exact {
            // Exact: scan only the collection's covers.
            return """
                SELECT c.content_hash, c.embedding::real[] FROM coverlens_covers c
                WHERE c.model_id = \(modelID) AND c.embedding IS NOT NULL
                  AND EXISTS (SELECT 1 FROM coverlens_members m WHERE m.collection_id = $2 AND m.content_hash = c.content_hash)
                ORDER BY c.\(distance) LIMIT \(limit)
                """
        }
        return """
            WITH nearest AS MATERIALIZED (
                SELECT content_hash, embedding FROM coverlens_covers
                WHERE model_id = \(modelID) AND embedding IS NOT NULL
                ORDER BY \(distance) LIMIT \(limit))
            SELECT n.content_hash, n.embedding::real[] FROM nearest n
            """ + (filtered ? " WHERE EXISTS (SELECT 1 FROM coverlens_members m WHERE m.collection_id = $2 AND m.content_hash = n.content_hash)" : "")
    }

    /// The rows `nearest` fetches from pgvector and re-ranks exactly for a top-`k` search.
    public static func defaultCandidates(_ k: Int) -> Int { max(4 * k, 40) }

    /// The `hnsw.ef_search` a query runs with: at least the rows it fetches (HNSW returns no more
    /// than ef_search rows), within pgvector's bounds (1 to 1,000).
    public static func efSearch(_ asked: Int, fetch: Int) -> Int { min(1000, max(1, asked, fetch)) }
}

extension PostgresStore {
    /// Bytes on disk of the covers table (with TOAST and its own indexes) and of the members table.
    public func relationSizes() throws -> (covers: Int, members: Int) {
        try perform { connection in
            let row = try connection.query("""
                SELECT pg_total_relation_size('coverlens_covers'), pg_total_relation_size('coverlens_members')
                """, logger: self.logger).wait().first!.makeRandomAccess()
            return (try row[0].decode(Int.self), try row[1].decode(Int.self))
        }
    }
}
