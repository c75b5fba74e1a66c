import CoverAnalysis
import Foundation
import Imaging
import PostgresNIO

/// Named collections: the covers of a folder (or of all its shards) registered under a name, so
/// scoring can read them from the store on a machine that does not have the files.
///
/// A worker announces its shard (`beginShard`: how many files it will cover), registers files
/// batch by batch in the same transaction as their records (`save` with a `registration`), and
/// marks the shard finished (`finishShard`). `status` compares what each shard announced with
/// what is registered and embedded, so a killed worker's shard shows as incomplete until a worker
/// runs it again.
extension PostgresStore: CollectionReader {
    /// Creates the collection if needed and returns its id.
    public func collection(named name: String, create: Bool) throws -> Int {
        try perform { connection in
            if create {
                try connection.query("INSERT INTO coverlens_collections (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING",
                                     logger: self.logger).wait()
            }
            let rows = try connection.query("SELECT id FROM coverlens_collections WHERE name = \(name)", logger: self.logger).wait()
            guard let id = try rows.first?.makeRandomAccess()[0].decode(Int.self) else {
                throw StoreError.noSuchCollection(store: self.location.redacted, name: name)
            }
            return id
        }
    }

    /// Registers this worker's shard of `collection` under `modelFingerprint`: the number of files
    /// it will cover, and from now on `save` registers files under it. Running the same shard again
    /// restarts its record (the files already stored are found in the store, not recomputed).
    public func beginShard(collection name: String, shard: Shard, modelFingerprint: String, dimension: Int,
                           label: String, expected: Int) throws {
        try registerModel(modelFingerprint, dimension: dimension, label: label)
        let collectionID = try collection(named: name, create: true)
        try perform { connection in
            let model = try self.model(modelFingerprint, dimension: dimension, on: connection)
            try connection.query("""
                INSERT INTO coverlens_shards (collection_id, model_id, shard_index, shard_count, expected)
                VALUES (\(collectionID), \(model.id), \(shard.index), \(shard.count), \(expected))
                ON CONFLICT (collection_id, model_id, shard_count, shard_index)
                DO UPDATE SET expected = EXCLUDED.expected, started_at = now(), finished_at = NULL
                """, logger: self.logger).wait()
        }
        registration = Registration(collectionID: collectionID, shard: shard)
    }

    /// Marks the shard finished, and drops files registered under it earlier that this run did
    /// not see (deleted or renamed since), so the collection lists each file once.
    public func finishShard(modelFingerprint: String, paths: [String]) throws {
        guard let registration else { return }
        try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return }
            try self.transaction(on: connection) {
                try connection.query("""
                    DELETE FROM coverlens_members WHERE collection_id = \(registration.collectionID)
                    AND shard_count = \(registration.shard.count) AND shard_index = \(registration.shard.index)
                    AND NOT (path = ANY(\(paths)))
                    """, logger: self.logger).wait()
                try connection.query("""
                    UPDATE coverlens_shards SET finished_at = now()
                    WHERE collection_id = \(registration.collectionID) AND model_id = \(model.id)
                    AND shard_count = \(registration.shard.count) AND shard_index = \(registration.shard.index)
                    """, logger: self.logger).wait()
            }
        }
    }

    /// What `coverlens store status --collection NAME` prints.
    public func status(collection name: String) throws -> CollectionStatus {
        let collectionID = try collection(named: name, create: false)
        return try perform { connection in
            let files = try connection.query("SELECT count(*) FROM coverlens_members WHERE collection_id = \(collectionID)",
                                             logger: self.logger).wait().first!.makeRandomAccess()[0].decode(Int.self)
            let modelRows = try connection.query("""
                SELECT mo.id, mo.fingerprint, coalesce(mo.label, ''), mo.dimension,
                    (SELECT count(*) FROM coverlens_members m JOIN coverlens_covers c
                        ON c.content_hash = m.content_hash AND c.model_id = mo.id AND c.embedding IS NOT NULL
                        WHERE m.collection_id = \(collectionID)),
                    (SELECT count(*) FROM coverlens_members m JOIN coverlens_covers c
                        ON c.content_hash = m.content_hash AND c.model_id = mo.id AND c.decode_error IS NOT NULL
                        WHERE m.collection_id = \(collectionID))
                FROM coverlens_models mo
                WHERE mo.id IN (SELECT model_id FROM coverlens_shards WHERE collection_id = \(collectionID))
                ORDER BY mo.id
                """, logger: self.logger).wait()
            var models: [CollectionStatus.ModelStatus] = []
            for row in modelRows {
                let r = row.makeRandomAccess()
                let modelID = try r[0].decode(Int.self)
                let shards = try self.shardStatus(collectionID: collectionID, modelID: modelID, on: connection)
                let fingerprint = try r[1].decode(String.self), dimension = try r[3].decode(Int.self)
                let index = try self.index(of: StoredModel(id: modelID, dimension: dimension), on: connection)
                let copies = try self.model(CoverScan.copyKey(fingerprint), on: connection)
                let copyIndex = try copies.flatMap { try self.index(of: $0, on: connection) }
                models.append(CollectionStatus.ModelStatus(
                    fingerprint: fingerprint, label: try r[2].decode(String.self), dimension: dimension,
                    embedded: try r[4].decode(Int.self), decodeErrors: try r[5].decode(Int.self), shards: shards,
                    index: index, copyIndex: copyIndex, copyDescriptors: copies != nil))
            }
            return CollectionStatus(name: name, files: files, models: models)
        }
    }

    /// Each announced shard's progress for one model, under the shard count used most recently.
    private func shardStatus(collectionID: Int, modelID: Int, on connection: PostgresConnection) throws -> [CollectionStatus.ShardStatus] {
        let latest = try connection.query("""
            SELECT shard_count FROM coverlens_shards WHERE collection_id = \(collectionID) AND model_id = \(modelID)
            ORDER BY started_at DESC LIMIT 1
            """, logger: logger).wait()
        guard let count = try latest.first?.makeRandomAccess()[0].decode(Int.self) else { return [] }
        let rows = try connection.query("""
            SELECT s.shard_index, s.expected, s.finished_at IS NOT NULL,
                   (SELECT count(*) FROM coverlens_members m
                    LEFT JOIN coverlens_covers c ON c.content_hash = m.content_hash AND c.model_id = s.model_id
                    WHERE m.collection_id = s.collection_id AND m.shard_count = s.shard_count AND m.shard_index = s.shard_index
                      AND (m.content_hash IS NULL OR c.content_hash IS NOT NULL))
            FROM coverlens_shards s
            WHERE s.collection_id = \(collectionID) AND s.model_id = \(modelID) AND s.shard_count = \(count)
            """, logger: logger).wait()
        var byIndex: [Int: CollectionStatus.ShardStatus] = [:]
        for row in rows {
            let r = row.makeRandomAccess()
            let index = try r[0].decode(Int.self)
            byIndex[index] = CollectionStatus.ShardStatus(index: index, count: count, expected: try r[1].decode(Int.self),
                                                          done: try r[3].decode(Int.self), finished: try r[2].decode(Bool.self))
        }
        return (0..<count).map { byIndex[$0] ?? CollectionStatus.ShardStatus(index: $0, count: count, expected: nil, done: 0, finished: false) }
    }

    /// The collection's covers under `modelFingerprint`, as a scan of the folder would give them
    /// (embedding, copy descriptor, colour statistics, thumbnail), ordered by path. Above
    /// `sampleLimit` covers a seeded uniform sample of that many is returned instead (the same
    /// sample for the same seed, however many workers wrote the collection), with the total.
    /// - Throws: `StoreError.noSuchCollection`, `.collectionLacksModel`.
    public func covers(collection name: String, modelFingerprint: String, sampleLimit: Int? = nil,
                       seed: UInt64 = 0) throws -> (covers: [ScannedCover], total: Int) {
        let collectionID = try collection(named: name, create: false)
        return try perform { connection in
            let (model, copies) = try self.models(for: modelFingerprint, collectionID: collectionID, name: name, on: connection)
            let members = Self.membersSQL(collectionID: collectionID, model: model, copies: copies)
            let total = try connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) " + members), logger: self.logger).wait()
                .first!.makeRandomAccess()[0].decode(Int.self)
            guard total > 0 else { throw try self.lacksModel(collectionID: collectionID, name: name, model: modelFingerprint, on: connection) }
            // md5(seed || path) orders the files by a seeded hash: a uniform sample without reading them all.
            let order = sampleLimit.map { total > $0 ? " ORDER BY md5('\(seed):' || m.path) LIMIT \($0)" : "" } ?? ""
            let covers = try self.scannedCovers(PostgresQuery(unsafeSQL: Self.coverColumns + members + order), on: connection)
            return (covers, total)
        }
    }

    /// The collection's embeddings under `modelFingerprint`, ordered by path (training the head).
    /// - Throws: `StoreError.noSuchCollection`, `.collectionLacksModel`.
    public func embeddings(collection name: String, modelFingerprint: String) throws -> [(file: String, contentHash: String, embedding: [Float])] {
        let collectionID = try collection(named: name, create: false)
        return try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else {
                throw try self.lacksModel(collectionID: collectionID, name: name, model: modelFingerprint, on: connection)
            }
            let rows = try connection.query(PostgresQuery(unsafeSQL: """
                SELECT m.path, m.content_hash, c.embedding::real[] FROM coverlens_members m
                JOIN coverlens_covers c ON c.content_hash = m.content_hash AND c.model_id = \(model.id) AND c.embedding IS NOT NULL
                WHERE m.collection_id = \(collectionID) ORDER BY m.path
                """), logger: self.logger).wait()
            var found: [(file: String, contentHash: String, embedding: [Float])] = []
            for row in rows {
                let r = row.makeRandomAccess()
                found.append((try r[0].decode(String.self), try r[1].decode(String.self), try r[2].decode([Float].self)))
            }
            guard !found.isEmpty else { throw try self.lacksModel(collectionID: collectionID, name: name, model: modelFingerprint, on: connection) }
            return found.sorted { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
        }
    }

    /// The collection's covers nearest to each query (`nearest`, within the collection), read like
    /// `covers`, each once, ordered by path. With `byCopyDescriptor` the queries are copy
    /// descriptors and the search runs over the collection's descriptors.
    public func nearestCovers(collection name: String, modelFingerprint: String, byCopyDescriptor: Bool, to queries: [[Float]],
                              k: Int) throws -> [ScannedCover] {
        let searched = byCopyDescriptor ? CoverScan.copyKey(modelFingerprint) : modelFingerprint
        var hashes: [String] = []
        for query in queries {
            for found in try nearest(to: query, modelFingerprint: searched, k: k, collection: name) where !hashes.contains(found.contentHash) {
                hashes.append(found.contentHash)
            }
        }
        guard !hashes.isEmpty else { return [] }
        let collectionID = try collection(named: name, create: false)
        return try perform { connection in
            let (model, copies) = try self.models(for: modelFingerprint, collectionID: collectionID, name: name, on: connection)
            var binds = PostgresBindings()
            binds.append(hashes)
            return try self.scannedCovers(PostgresQuery(unsafeSQL: Self.coverColumns + Self.membersSQL(collectionID: collectionID, model: model, copies: copies)
                                                            + " AND m.content_hash = ANY($1)", binds: binds), on: connection)
        }
    }

    /// The model's stored ids for its embeddings and its copy descriptors, or the one-sentence
    /// error that the collection lacks them.
    private func models(for fingerprint: String, collectionID: Int, name: String,
                        on connection: PostgresConnection) throws -> (model: StoredModel, copies: StoredModel) {
        guard let model = try self.model(fingerprint, on: connection),
              let copies = try self.model(CoverScan.copyKey(fingerprint), on: connection) else {
            throw try lacksModel(collectionID: collectionID, name: name, model: fingerprint, on: connection)
        }
        return (model, copies)
    }

    /// The columns `scannedCovers` reads.
    private static let coverColumns = "SELECT m.path, m.content_hash, c.embedding::real[], d.embedding::real[], c.statistics "

    /// The collection's members with an embedding and a copy descriptor (ids only: numbers this code made).
    private static func membersSQL(collectionID: Int, model: StoredModel, copies: StoredModel) -> String {
        """
        FROM coverlens_members m
        JOIN coverlens_covers c ON c.content_hash = m.content_hash AND c.model_id = \(model.id) AND c.embedding IS NOT NULL
        JOIN coverlens_covers d ON d.content_hash = m.content_hash AND d.model_id = \(copies.id) AND d.embedding IS NOT NULL
        WHERE m.collection_id = \(collectionID)
        """
    }

    /// Rows of `coverColumns` as scanned covers, ordered by path; a row without a readable stored
    /// thumbnail is left out.
    private func scannedCovers(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [ScannedCover] {
        var covers: [ScannedCover] = []
        for row in try connection.query(query, logger: logger).wait() {
            let r = row.makeRandomAccess()
            guard let blob = try r[4].decode(Data?.self),
                  let payload = try? JSONDecoder().decode(StoredPayload.self, from: blob), let thumbnail = payload.thumbnail else { continue }
            covers.append(ScannedCover(file: try r[0].decode(String.self), contentHash: try r[1].decode(String.self),
                                       embedding: try r[2].decode([Float].self), copyDescriptor: try r[3].decode([Float].self),
                                       statistics: payload.statistics, thumbnail: thumbnail))
        }
        // Bytewise, as ImageFolder orders a folder's files, so rows come in the same order either way.
        return covers.sorted { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
    }

    private func lacksModel(collectionID: Int, name: String, model: String, on connection: PostgresConnection) throws -> StoreError {
        let rows = try connection.query("""
            SELECT DISTINCT coalesce(mo.label || ' ', '') || mo.fingerprint FROM coverlens_shards s
            JOIN coverlens_models mo ON mo.id = s.model_id WHERE s.collection_id = \(collectionID)
            """, logger: logger).wait()
        return .collectionLacksModel(store: location.redacted, name: name, model: model,
                                     models: try rows.map { try $0.makeRandomAccess()[0].decode(String.self) })
    }
}

/// How far a collection's embedding has got, per model and per shard.
public struct CollectionStatus: Sendable, Equatable {
    public var name: String
    /// Files registered under the collection (decoded or not).
    public var files: Int
    public var models: [ModelStatus]

    public struct ModelStatus: Sendable, Equatable {
        public var fingerprint: String
        public var label: String
        public var dimension: Int
        public var embedded: Int
        public var decodeErrors: Int
        /// Shards under the shard count used most recently, in order.
        public var shards: [ShardStatus]
        /// The HNSW indexes of its embeddings and of its copy descriptors (nil: searches scan exactly).
        public var index: PostgresStore.IndexInfo?
        public var copyIndex: PostgresStore.IndexInfo?
        /// Whether the store holds copy descriptors for the model at all (the benchmark's vectors have none).
        public var copyDescriptors = true

        public var incompleteShards: [ShardStatus] { shards.filter { !$0.isComplete } }
    }

    public struct ShardStatus: Sendable, Equatable {
        public var index: Int
        public var count: Int
        /// Files the shard's worker announced; nil when no worker has started it.
        public var expected: Int?
        /// Files registered with a record for the model (embedded, or a decode error).
        public var done: Int
        public var finished: Bool

        public var isComplete: Bool { finished && expected.map { done >= $0 } == true }
    }
}
