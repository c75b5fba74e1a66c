import CoverAnalysis
import Foundation
import PostgresNIO

/// The HNSW index (cosine) of one model fingerprint's vectors, built by `coverlens store index`.
///
/// One table holds every model's vectors and pgvector indexes only vectors of one fixed length, so
/// each model gets its own partial index over `embedding::vector(D)` (`WHERE model_id = id`); the
/// search (`nearest`) matches it by inlining the same expression and condition. The build is one
/// transaction: an interrupted build leaves no index behind, and a killed client cancels the
/// server's work (PostgreSQL ≥ 14 checks the connection every 10 s while it builds).
///
/// pgvector builds fastest when the whole graph fits in `maintenance_work_mem`; past it, it goes
/// on on disk many times slower. So unless told otherwise the build raises the setting, for its own
/// transaction only, to the graph's estimated size (`estimatedGraphBytes`, with a fifth to spare), up
/// to `memoryLimit`, and never lowers what the server already allows.
extension PostgresStore {
    /// pgvector's build parameters: `m` neighbours per element and layer (2m on the bottom layer)
    /// and `efConstruction` candidates considered for each insertion. Larger values make a graph
    /// that connects clustered vectors better (higher recall) and take longer to build.
    public struct IndexParameters: Sendable, Equatable, CustomStringConvertible {
        public var m: Int
        public var efConstruction: Int

        public init(m: Int, efConstruction: Int) {
            self.m = m
            self.efConstruction = efConstruction
        }

        /// pgvector's own defaults.
        public static let pgvector = IndexParameters(m: 16, efConstruction: 64)

        /// What `coverlens store index` builds unless told otherwise: twice pgvector's, because on
        /// 1,280-d embeddings with many near-equidistant neighbours a graph of m 16 left recall@10 at
        /// 0.977 on 200,000 vectors at the deepest search, and m 32 / ef_construction 128 gave 1.0
        /// on 1,000,000 (README, "Past one machine"), at twice the build time.
        public static let defaults = IndexParameters(m: 32, efConstruction: 128)

        /// pgvector's limits: m 2–100, ef_construction 4–1000 and at least 2m.
        public var problem: String? {
            if !(2...100).contains(m) { return "m must be between 2 and 100" }
            if !(4...1000).contains(efConstruction) { return "ef_construction must be between 4 and 1000" }
            if efConstruction < 2 * m { return "ef_construction must be at least 2 × m (\(2 * m))" }
            return nil
        }

        public var description: String { "m \(m), ef_construction \(efConstruction)" }
    }

    /// A model's index as the server has it.
    public struct IndexInfo: Sendable, Equatable {
        public var name: String
        public var parameters: IndexParameters
        public var bytes: Int
        /// False for an index a failed `CREATE INDEX CONCURRENTLY` left behind: the planner ignores it.
        public var valid: Bool
    }

    /// What `buildIndex` did.
    public struct IndexReport: Sendable {
        public var index: IndexInfo
        /// The model's vectors (the index's entries).
        public var vectors: Int
        /// False when the index was there already (then nothing was built and `seconds` is 0).
        public var created: Bool
        public var seconds: Double
        /// The `maintenance_work_mem` the build ran with, and what the graph was estimated to need.
        public var maintenanceMemory: Int
        public var estimatedGraphBytes: Int
    }

    /// How far a build has got, from the server's `pg_stat_progress_create_index`.
    public struct IndexProgress: Sendable {
        /// PostgreSQL's phase name ("building index: loading tuples", …).
        public var phase: String
        /// Vectors in the graph so far (pgvector counts them while it loads), and how many there are.
        public var done: Int
        public var total: Int
        public var seconds: Double
    }

    /// The settings a build runs with: the parameters, and memory and workers for the server.
    public struct IndexBuild: Sendable {
        public var parameters = IndexParameters.defaults
        /// `maintenance_work_mem` in bytes; nil: the graph's estimated size, at most `memoryLimit`.
        public var maintenanceMemory: Int?
        public var memoryLimit = 8 << 30
        /// `max_parallel_maintenance_workers` (pgvector ≥ 0.6 builds in parallel); nil: the server's.
        public var parallelWorkers: Int?
        /// Drop an existing index first (to build it with other parameters).
        public var rebuild = false

        public init() {}
    }

    /// Bytes pgvector's in-memory build graph takes for `vectors` vectors (an estimate from its
    /// layout: each element's header, the vector itself, 2m neighbours of 16 bytes on the bottom
    /// layer and m on each of the 1/(m−1) upper layers it has on average).
    public static func estimatedGraphBytes(vectors: Int, dimension: Int, m: Int) -> Int {
        let perVector = 200 + (8 + 4 * dimension) + 32 * m + (16 * m) / max(1, m - 1)
        return vectors * perVector
    }

    /// The model's index, nil when it has none (or the store has never seen the model).
    public func index(modelFingerprint: String) throws -> IndexInfo? {
        try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return nil }
            return try self.index(of: model, on: connection)
        }
    }

    func index(of model: StoredModel, on connection: PostgresConnection) throws -> IndexInfo? {
        let name = Self.indexName(model.id)
        let rows = try connection.query("""
            SELECT coalesce(array_to_string(c.reloptions, ','), ''), pg_relation_size(c.oid), i.indisvalid
            FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
            WHERE c.oid = to_regclass(\(name))
            """, logger: logger).wait()
        guard let row = rows.first?.makeRandomAccess() else { return nil }
        var parameters = IndexParameters.pgvector
        for option in try row[0].decode(String.self).split(separator: ",") {
            let pair = option.split(separator: "=")
            guard pair.count == 2, let value = Int(pair[1]) else { continue }
            if pair[0] == "m" { parameters.m = value }
            if pair[0] == "ef_construction" { parameters.efConstruction = value }
        }
        return IndexInfo(name: name, parameters: parameters, bytes: try row[1].decode(Int.self), valid: try row[2].decode(Bool.self))
    }

    /// The number of vectors the model has in the store, and their length.
    public func vectorCount(modelFingerprint: String) throws -> (count: Int, dimension: Int)? {
        try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return nil }
            return (try self.vectorCount(model, on: connection), model.dimension)
        }
    }

    private func vectorCount(_ model: StoredModel, on connection: PostgresConnection) throws -> Int {
        try connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM coverlens_covers WHERE model_id = \(model.id) AND embedding IS NOT NULL
            """), logger: logger).wait().first!.makeRandomAccess()[0].decode(Int.self)
    }

    /// Builds the model's HNSW index unless a valid one exists (`rebuild` replaces it). `progress`
    /// is called about every `progressInterval` seconds from another thread while it builds (a
    /// second connection reads the server's progress view).
    /// - Throws: `StoreError.nothingToIndex` (no vectors), `.indexBuildFailed` (the server ran out
    ///   of memory or disk: nothing is kept), the connection errors.
    /// The longest vectors pgvector (0.6) builds an HNSW index of; longer ones (the copy
    /// descriptors, `BandDescriptor.length`) are searched by an exact scan.
    public static let maximumIndexedDimension = 2000

    @discardableResult
    public func buildIndex(modelFingerprint: String, _ build: IndexBuild = IndexBuild(), progressInterval: Double = 15,
                           progress: (@Sendable (IndexProgress) -> Void)? = nil) throws -> IndexReport {
        if let problem = build.parameters.problem {
            throw StoreError.server(store: location.redacted, detail: problem)
        }
        return try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection), model.dimension > 0 else {
                throw StoreError.nothingToIndex(store: self.location.redacted, what: "of model \(StoreError.short(modelFingerprint))")
            }
            guard model.dimension <= Self.maximumIndexedDimension else {
                throw StoreError.server(store: self.location.redacted, detail: "pgvector's HNSW index takes vectors of at most "
                                        + "\(Self.maximumIndexedDimension) dimensions; model \(StoreError.short(modelFingerprint)) has \(model.dimension)")
            }
            let vectors = try self.vectorCount(model, on: connection)
            guard vectors > 0 else { throw StoreError.nothingToIndex(store: self.location.redacted, what: "of model \(StoreError.short(modelFingerprint))") }
            let estimate = Self.estimatedGraphBytes(vectors: vectors, dimension: model.dimension, m: build.parameters.m)
            let serverMemory = try connection.query(
                "SELECT setting::bigint * 1024 FROM pg_settings WHERE name = 'maintenance_work_mem'", logger: self.logger).wait()
                .first!.makeRandomAccess()[0].decode(Int.self)
            let memory = build.maintenanceMemory ?? max(serverMemory, min(build.memoryLimit, estimate + estimate / 5))
            if let existing = try self.index(of: model, on: connection), existing.valid, !build.rebuild {
                return IndexReport(index: existing, vectors: vectors, created: false, seconds: 0,
                                   maintenanceMemory: memory, estimatedGraphBytes: estimate)
            }
            let name = Self.indexName(model.id)
            let version = try connection.query("SELECT current_setting('server_version_num')::int", logger: self.logger).wait()
                .first!.makeRandomAccess()[0].decode(Int.self)
            let pid = try connection.query("SELECT pg_backend_pid()", logger: self.logger).wait()
                .first!.makeRandomAccess()[0].decode(Int.self)
            let start = Date()
            let watcher = progress.map { IndexProgressWatcher(location: self.location, pid: pid, total: vectors, start: start,
                                                              interval: progressInterval, report: $0) }
            defer { watcher?.stop() }
            do {
                try self.transaction(on: connection) {
                    // Numbers and identifiers this code made only (no user text) go into these statements.
                    var settings = ["SET LOCAL maintenance_work_mem = '\(max(1, memory / 1024))kB'", "SET LOCAL statement_timeout = 0"]
                    if let workers = build.parallelWorkers { settings.append("SET LOCAL max_parallel_maintenance_workers = \(max(0, workers))") }
                    if version >= 140000 { settings.append("SET LOCAL client_connection_check_interval = '10s'") }
                    settings.append("DROP INDEX IF EXISTS \(name)")
                    settings.append("""
                        CREATE INDEX \(name) ON coverlens_covers
                        USING hnsw ((embedding::vector(\(model.dimension))) vector_cosine_ops)
                        WITH (m = \(build.parameters.m), ef_construction = \(build.parameters.efConstruction))
                        WHERE model_id = \(model.id) AND embedding IS NOT NULL
                        """)
                    for statement in settings { _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger).wait() }
                }
            } catch let error as PSQLError where Self.isResourceError(error) {
                throw StoreError.indexBuildFailed(store: self.location.redacted, index: name, detail: Self.detail(error))
            }
            let seconds = Date().timeIntervalSince(start)
            // Fresh statistics: right after a bulk load the planner still thinks the table is
            // tiny and would sort it exactly instead of using the index.
            _ = try connection.query("ANALYZE coverlens_covers", logger: self.logger).wait()
            guard let built = try self.index(of: model, on: connection) else {
                throw StoreError.server(store: self.location.redacted, detail: "index \(name) is missing after its build")
            }
            return IndexReport(index: built, vectors: vectors, created: true, seconds: seconds,
                               maintenanceMemory: memory, estimatedGraphBytes: estimate)
        }
    }

    /// Out of memory, disk or another server limit (SQLSTATE classes 53 and 54).
    static func isResourceError(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("53") || state.hasPrefix("54")
    }

    static func indexName(_ modelID: Int) -> String { "coverlens_hnsw_model_\(modelID)" }
}

/// Reads a build's progress on its own connection while the build's connection is busy.
final class IndexProgressWatcher: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(location: StoreLocation, pid: Int, total: Int, start: Date, interval: Double,
         report: @escaping @Sendable (PostgresStore.IndexProgress) -> Void) {
        let done = self.done, finished = self.finished
        Thread.detachNewThread {
            defer { finished.signal() }
            guard let store = try? PostgresStore(location: location) else { return }
            while done.wait(timeout: .now() + interval) == .timedOut {
                guard let (phase, count) = try? store.buildProgress(pid: pid) else { continue }
                report(PostgresStore.IndexProgress(phase: phase, done: count, total: total, seconds: Date().timeIntervalSince(start)))
            }
            store.close()
        }
    }

    func stop() {
        done.signal()
        finished.wait()
    }
}

extension PostgresStore {
    /// The phase and tuples done of the index build in backend `pid`, nil when none is running.
    func buildProgress(pid: Int) throws -> (String, Int)? {
        try perform { connection in
            let rows = try connection.query("""
                SELECT phase, tuples_done FROM pg_stat_progress_create_index WHERE pid = \(pid)
                """, logger: self.logger).wait()
            guard let row = rows.first?.makeRandomAccess() else { return nil }
            return (try row[0].decode(String.self), try row[1].decode(Int.self))
        }
    }
}

extension PostgresStore {
    /// A model fingerprint whose vectors `coverlens store index` indexes, with what to call it.
    public struct IndexedModel: Sendable, Equatable {
        public var fingerprint: String
        public var label: String
    }

    /// The models a collection's vectors are kept under: each model it was embedded with, then its
    /// copy descriptors (searched by the copy check), when stored. Without a collection, every
    /// model with a vector length in the store.
    /// - Throws: `StoreError.noSuchCollection`.
    public func indexedModels(collection name: String?) throws -> [IndexedModel] {
        let collectionID = try name.map { try collection(named: $0, create: false) }
        return try perform { connection in
            let condition = collectionID.map { "id IN (SELECT model_id FROM coverlens_shards WHERE collection_id = \($0))" } ?? "dimension > 0"
            let rows = try connection.query(PostgresQuery(unsafeSQL: """
                SELECT fingerprint, coalesce(label, '') FROM coverlens_models WHERE \(condition) ORDER BY id
                """), logger: self.logger).wait()
            var found: [IndexedModel] = []
            for row in rows {
                let r = row.makeRandomAccess()
                let fingerprint = try r[0].decode(String.self), label = try r[1].decode(String.self)
                guard !found.contains(where: { $0.fingerprint == fingerprint }) else { continue }
                let copyDescriptors = fingerprint.hasSuffix("|" + BandDescriptor.version)
                found.append(IndexedModel(fingerprint: fingerprint, label: label.isEmpty ? (copyDescriptors ? "copy descriptors" : "model") : label))
                let copies = CoverScan.copyKey(fingerprint)
                if collectionID != nil, try self.model(copies, on: connection) != nil {
                    found.append(IndexedModel(fingerprint: copies, label: "copy descriptors of \(label.isEmpty ? "model" : label)"))
                }
            }
            return found
        }
    }
}
