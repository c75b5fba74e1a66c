import CoverAnalysis
import Foundation
import PostgresNIO

/// Per-cover results in PostgreSQL with pgvector: the same records as the SQLite cache
/// (`EmbeddingStore`), shared by every machine that embeds or scores against one catalogue.
///
/// Embeddings are pgvector `vector` values kept per model fingerprint (`coverlens_models` records
/// each fingerprint's dimension; a vector of another length is refused before anything is written).
/// Every `save` is one transaction of idempotent upserts, so a worker killed at any moment leaves
/// whole batches only, and running the same batch twice, or on two machines at once, stores it once.
///
/// The commands are synchronous, so this type is too: each call waits for postgres-nio's futures
/// on the caller's thread (never an event-loop thread), one call at a time over one connection.
/// A connection that drops is reopened with backoff and the whole call (a transaction) runs again.
public final class PostgresStore: CoverStore, @unchecked Sendable {
    public let location: StoreLocation
    /// How often, and how patiently, a lost connection is reopened before the run stops.
    public var retry = RetryPolicy()
    /// The collection and shard that `save` registers files under (nil: store records only).
    public var registration: Registration?

    /// Held for each call's whole conversation with the server (one connection, one call at a time).
    private let connectionLock = NSLock()
    /// Guards the small in-memory state (model ids, hit counts), taken inside calls too.
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var models: [String: StoredModel] = [:]
    private var counts = (hits: 0, misses: 0)
    let logger: Logger

    /// Where a scan's files are registered: a named collection and this worker's shard of it.
    public struct Registration: Sendable {
        public var collectionID: Int
        public var shard: Shard
    }

    /// A model fingerprint as this store knows it.
    struct StoredModel {
        var id: Int
        var dimension: Int
    }

    /// Connects, checks pgvector, and creates or migrates the schema (once, under an advisory lock,
    /// however many workers start at the same moment).
    public init(location: StoreLocation) throws {
        self.location = location
        var logger = Logger(label: "coverlens.store")
        // postgres-nio's own messages stay quiet: CoverLens says what went wrong in one sentence.
        logger.logLevel = .critical
        self.logger = logger
        try connectionLock.withLock {
            let connection = try connect()
            self.connection = connection
            try StoreSchema.prepare(connection, store: location.redacted, logger: logger)
        }
    }

    deinit { try? connection?.close().wait() }

    /// Closes the connection (a later call reconnects).
    public func close() {
        connectionLock.withLock {
            try? connection?.close().wait()
            connection = nil
        }
    }

    public var hits: Int { lock.withLock { counts.hits } }
    public var misses: Int { lock.withLock { counts.misses } }

    // MARK: CoverStore

    public func lookup(contentHash: String, modelFingerprint: String) throws -> CoverRecord? {
        let record: CoverRecord? = try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return nil }
            let rows = try connection.query("""
                SELECT embedding::real[], statistics, decode_error FROM coverlens_covers
                WHERE content_hash = \(contentHash) AND model_id = \(model.id)
                """, logger: self.logger).wait()
            guard let row = rows.first?.makeRandomAccess() else { return nil }
            return CoverRecord(contentHash: contentHash, modelFingerprint: modelFingerprint,
                               embedding: try row[0].decode([Float]?.self), statistics: try row[1].decode(Data?.self),
                               decodeError: try row[2].decode(String?.self))
        }
        lock.withLock { record == nil ? (counts.misses += 1) : (counts.hits += 1) }
        return record
    }

    public func save(_ records: [CoverRecord], files: [ScannedFileKey]) throws {
        guard !records.isEmpty || (registration != nil && !files.isEmpty) else { return }
        // One lock order for every worker (by key), so two workers upserting the same covers
        // cannot deadlock each other.
        let sorted = records.sorted { ($0.contentHash, $0.modelFingerprint) < ($1.contentHash, $1.modelFingerprint) }
        let registration = self.registration
        try perform { connection in
            // Every vector's length is checked before the transaction starts: a batch with one
            // wrong vector writes nothing.
            var ids: [String: Int] = [:]
            for record in sorted {
                ids[record.modelFingerprint] = try self.model(record.modelFingerprint, dimension: record.embedding?.count,
                                                              on: connection).id
            }
            try self.transaction(on: connection) {
                var pending: [EventLoopFuture<PostgresQueryResult>] = []
                for record in sorted {
                    let id = ids[record.modelFingerprint]!
                    // Sent back to back and awaited together: one round trip per batch, not per row.
                    pending.append(try connection.query("""
                        INSERT INTO coverlens_covers (content_hash, model_id, embedding, statistics, decode_error)
                        VALUES (\(record.contentHash), \(id), \(record.embedding)::real[]::vector, \(record.statistics), \(record.decodeError))
                        ON CONFLICT (content_hash, model_id) DO UPDATE SET embedding = EXCLUDED.embedding,
                            statistics = EXCLUDED.statistics, decode_error = EXCLUDED.decode_error, updated_at = now()
                        """, logger: self.logger))
                }
                if let registration {
                    for file in files.sorted(by: { $0.relativePath < $1.relativePath }) {
                        pending.append(connection.query("""
                            INSERT INTO coverlens_members (collection_id, path, content_hash, shard_index, shard_count)
                            VALUES (\(registration.collectionID), \(file.relativePath), \(file.contentHash),
                                    \(registration.shard.index), \(registration.shard.count))
                            ON CONFLICT (collection_id, path) DO UPDATE SET content_hash = EXCLUDED.content_hash,
                                shard_index = EXCLUDED.shard_index, shard_count = EXCLUDED.shard_count
                            """, logger: self.logger))
                    }
                }
                for future in pending { _ = try future.wait() }
            }
        }
    }

    public func attention(contentHash: String, modelFingerprint: String) throws -> Heatmap? {
        try perform { connection in
            guard let model = try self.model(modelFingerprint, on: connection) else { return nil }
            let rows = try connection.query("""
                SELECT width, height, heatmap FROM coverlens_attention WHERE content_hash = \(contentHash) AND model_id = \(model.id)
                """, logger: self.logger).wait()
            guard let row = rows.first?.makeRandomAccess() else { return nil }
            let width = try row[0].decode(Int.self), height = try row[1].decode(Int.self)
            let values = try row[2].decode([Float].self)
            guard width > 0, height > 0, values.count == width * height, values.allSatisfy(\.isFinite) else { return nil }
            return Heatmap(width: width, height: height, values: values)
        }
    }

    public func saveAttention(_ map: Heatmap, contentHash: String, modelFingerprint: String) throws {
        try perform { connection in
            let model = try self.model(modelFingerprint, dimension: nil, on: connection)
            try connection.query("""
                INSERT INTO coverlens_attention (content_hash, model_id, width, height, heatmap)
                VALUES (\(contentHash), \(model.id), \(map.width), \(map.height), \(map.values))
                ON CONFLICT (content_hash, model_id) DO UPDATE SET width = EXCLUDED.width, height = EXCLUDED.height,
                    heatmap = EXCLUDED.heatmap
                """, logger: self.logger).wait()
        }
    }

    // MARK: Models

    /// Records `fingerprint` with its vector length and a readable label (shown by `store status`),
    /// or checks the length against the one recorded. Call it before a run writes vectors, so a
    /// mismatch stops the run before its first batch.
    /// - Throws: `StoreError.dimensionMismatch`.
    public func registerModel(_ fingerprint: String, dimension: Int, label: String) throws {
        try perform { connection in
            _ = try self.model(fingerprint, dimension: dimension, on: connection)
            try connection.query("""
                UPDATE coverlens_models SET label = \(label) WHERE fingerprint = \(fingerprint) AND label IS DISTINCT FROM \(label)
                """, logger: self.logger).wait()
        }
    }

    /// The stored model for `fingerprint`, nil when the store has never seen it (no insert).
    func model(_ fingerprint: String, on connection: PostgresConnection) throws -> StoredModel? {
        if let known = lock.withLock({ models[fingerprint] }) { return known }
        let rows = try connection.query("SELECT id, dimension FROM coverlens_models WHERE fingerprint = \(fingerprint)",
                                        logger: logger).wait()
        guard let row = rows.first?.makeRandomAccess() else { return nil }
        let model = StoredModel(id: try row[0].decode(Int.self), dimension: try row[1].decode(Int.self))
        lock.withLock { models[fingerprint] = model }
        return model
    }

    /// The stored model for `fingerprint`, added when new; `dimension` (when given) must match.
    /// A model first seen without vectors (attention maps only) is recorded with dimension 0,
    /// which the first vector then sets.
    func model(_ fingerprint: String, dimension: Int?, on connection: PostgresConnection) throws -> StoredModel {
        var model = try self.model(fingerprint, on: connection)
        if model == nil {
            try connection.query("""
                INSERT INTO coverlens_models (fingerprint, dimension) VALUES (\(fingerprint), \(dimension ?? 0))
                ON CONFLICT (fingerprint) DO NOTHING
                """, logger: logger).wait()
            model = try self.model(fingerprint, on: connection)
        }
        guard var found = model else {
            throw StoreError.server(store: location.redacted, detail: "model \(fingerprint) could not be recorded")
        }
        if let dimension, found.dimension != dimension {
            if found.dimension == 0 {
                try connection.query("UPDATE coverlens_models SET dimension = \(dimension) WHERE id = \(found.id) AND dimension = 0",
                                     logger: logger).wait()
                lock.withLock { models[fingerprint] = nil }
                found = try self.model(fingerprint, on: connection) ?? found
            }
            guard found.dimension == dimension else {
                throw StoreError.dimensionMismatch(store: location.redacted, model: fingerprint, stored: found.dimension, given: dimension)
            }
        }
        return found
    }

    // MARK: Connection, retries and transactions

    /// Runs `body` on the connection, holding the store's lock. A lost connection is reopened
    /// with backoff and `body` runs again from the start (it must be one transaction or a read).
    func perform<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try connectionLock.withLock {
            var attempt = 0
            while true {
                do {
                    let connection: PostgresConnection
                    if let open = self.connection, !open.isClosed { connection = open } else {
                        do {
                            connection = try connect()
                        } catch let error as StoreError {
                            // `init` connected, so this is a reconnection after a loss: a server
                            // still restarting or refusing is one more failed attempt; a refused
                            // login is not worth retrying.
                            if case .authentication = error { throw error }
                            throw Reconnection(error: error)
                        }
                        self.connection = connection
                    }
                    return try body(connection)
                } catch let error where Self.isTransient(error) && attempt < retry.attempts {
                    attempt += 1
                    try? self.connection?.close().wait()
                    self.connection = nil
                    Thread.sleep(forTimeInterval: retry.delay(attempt))
                } catch let error where Self.isTransient(error) {
                    throw StoreError.connectionLost(store: location.redacted, attempts: attempt, detail: Self.detail(error))
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError.server(store: location.redacted, detail: Self.detail(error))
                }
            }
        }
    }

    /// BEGIN … COMMIT around `body`, ROLLBACK when it throws.
    func transaction<T>(on connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        try connection.query("BEGIN", logger: logger).wait()
        do {
            let value = try body()
            try connection.query("COMMIT", logger: logger).wait()
            return value
        } catch {
            _ = try? connection.query("ROLLBACK", logger: logger).wait()
            throw error
        }
    }

    /// Opens a connection, turning postgres-nio's errors into the store's one-sentence ones.
    private func connect() throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try tls())
        configuration.options.connectTimeout = .seconds(10)
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                  id: 1, logger: logger).wait()
        } catch {
            throw Self.connectionError(error, location: location)
        }
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        switch location.sslMode {
        case .disable: return .disable
        case .prefer, .require:
            // libpq's prefer and require encrypt without checking the certificate; verify-full checks it.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            let context = try NIOSSLContext(configuration: tls)
            return location.sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    static func connectionError(_ error: Error, location: StoreLocation) -> StoreError {
        let store = location.redacted
        if let psql = error as? PSQLError {
            if let state = psql.serverInfo?[.sqlState] {
                let message = psql.serverInfo?[.message] ?? state
                switch state {
                case "28P01", "28000": return .authentication(store: store, detail: message)
                case "3D000": return .unreachable(store: store, detail: message)
                default: return .server(store: store, detail: "\(message) [SQLSTATE \(state)]")
                }
            }
            if psql.code == .authMechanismRequiresPassword {
                return .authentication(store: store, detail: "the server asks for a password and none was found in PGPASSWORD or the password file")
            }
        }
        return .unreachable(store: store, detail: detail(error))
    }

    /// A dropped connection, a server shutting down, a deadlock or a serialisation failure: worth
    /// running the same transaction again.
    static func isTransient(_ error: Error) -> Bool {
        if error is Reconnection { return true }
        if let error = error as? StoreError {
            if case .unreachable = error { return true }
            return false
        }
        if let psql = error as? PSQLError {
            if let state = psql.serverInfo?[.sqlState] {
                // 57P01–57P03: the server is shutting down or restarting; 08xxx connection
                // exceptions; 40001/40P01 serialisation failure and deadlock.
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "40001" || state == "40P01"
            }
            return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(psql.code)
        }
        return error is ChannelError || error is IOError
    }

    /// The server's own message (never the query or its binds, which could hold data), or the
    /// error's description.
    static func detail(_ error: Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                return message + (psql.serverInfo?[.sqlState].map { " [SQLSTATE \($0)]" } ?? "")
            }
            if let underlying = psql.underlying { return "\(underlying)" }
            return "\(psql.code)"
        }
        if let store = error as? StoreError { return store.description }
        if let reconnection = error as? Reconnection { return detail(reconnection.error) }
        return "\(error)"
    }

    /// A failed attempt to reopen a lost connection.
    struct Reconnection: Error { var error: StoreError }
}

/// How a lost connection is retried: `attempts` reconnections, waiting `firstDelay` seconds and
/// doubling each time (0.5, 1, 2, 4 s by default: a server restart or a failover fits in it).
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var firstDelay: Double

    public init(attempts: Int = 4, firstDelay: Double = 0.5) {
        self.attempts = attempts
        self.firstDelay = firstDelay
    }

    func delay(_ attempt: Int) -> Double { firstDelay * pow(2, Double(attempt - 1)) }
}
