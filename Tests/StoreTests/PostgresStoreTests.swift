import CoverAnalysis
import Foundation
import Testing
@testable import Store

/// The store against a real PostgreSQL 16 + pgvector (`TestServer`).
@Suite struct PostgresStoreTests {
    static func open(_ url: String, environment: [String: String]? = nil) throws -> PostgresStore {
        let server = try TestServer.shared()
        return try PostgresStore(location: StoreLocation(url, environment: environment ?? server.environment))
    }

    static func record(_ i: Int, model: String = "model-a", dimension: Int = 8) -> CoverRecord {
        CoverRecord(contentHash: String(format: "%064x", i), modelFingerprint: model,
                    embedding: (0..<dimension).map { Float(i * 10 + $0) / 7 }, statistics: Data("stats-\(i)".utf8))
    }

    @Test func recordsRoundTripAndUpsertsAreIdempotent() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("roundtrip")
        let store = try Self.open(url)
        let records = (0..<20).map { Self.record($0) } + [CoverRecord(contentHash: "bad", modelFingerprint: "model-a", decodeError: "not an image")]
        try store.save(records)
        try store.save(records)   // the same batch again: stored once
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "21")
        #expect(try store.lookup(contentHash: records[3].contentHash, modelFingerprint: "model-a") == records[3])
        #expect(try store.lookup(contentHash: "bad", modelFingerprint: "model-a")?.decodeError == "not an image")
        #expect(try store.lookup(contentHash: records[3].contentHash, modelFingerprint: "model-b") == nil)
        #expect(store.hits == 2 && store.misses == 1)
        // A changed record replaces the old one.
        var changed = records[3]
        changed.embedding = Array(repeating: 1, count: 8)
        try store.save([changed])
        #expect(try store.lookup(contentHash: changed.contentHash, modelFingerprint: "model-a") == changed)
        let map = Heatmap(width: 2, height: 3, values: [0, 0.1, 0.2, 0.3, 0.4, 0.5])
        try store.saveAttention(map, contentHash: "h", modelFingerprint: "model-a|head")
        #expect(try store.attention(contentHash: "h", modelFingerprint: "model-a|head") == map)
    }

    @Test func aDimensionMismatchWritesNothingOfTheBatch() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("dims")
        let store = try Self.open(url)
        try store.registerModel("model-a", dimension: 8, label: "test 8-d")
        #expect(throws: StoreError.dimensionMismatch(store: store.location.redacted, model: "model-a", stored: 8, given: 4)) {
            try store.save([Self.record(1), Self.record(2, dimension: 4)])
        }
        #expect(throws: StoreError.self) { try store.registerModel("model-a", dimension: 1280, label: "x") }
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "0")
    }

    @Test func concurrentFirstRunsCreateTheSchemaOnce() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("concurrent")
        let results = ResultList()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            results.append(Result { () -> Int in
                let store = try Self.open(url)
                try store.save((0..<10).map { Self.record(i * 100 + $0) })
                return i
            })
        }
        for result in results.all { _ = try result.get() }
        #expect(try server.psql(url.database, "SELECT version FROM coverlens_schema") == "\(StoreSchema.current)")
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "60")
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_models") == "1")
    }

    @Test func aNewerSchemaIsRefused() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("newer")
        _ = try Self.open(url)
        try server.psql(url.database, "UPDATE coverlens_schema SET version = 99")
        #expect(throws: StoreError.newerSchema(store: try StoreLocation(url, environment: [:]).redacted, found: 99, supported: StoreSchema.current)) {
            _ = try Self.open(url)
        }
    }

    @Test func wrongPasswordUnreachableServerAndMissingPgvectorHaveTheirOwnErrors() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("errors")
        #expect {
            _ = try Self.open(url, environment: ["PGPASSWORD": "not-the-password"])
        } throws: { error in
            guard case StoreError.authentication = error else { return false }
            return !"\(error)".contains("not-the-password")
        }
        #expect {
            _ = try Self.open(url, environment: [:])
        } throws: { if case StoreError.authentication = $0 { true } else { false } }
        let closedPort = try TestServer.freePort()
        #expect {
            _ = try Self.open("postgresql://coverlens@127.0.0.1:\(closedPort)/x?sslmode=disable")
        } throws: { if case StoreError.unreachable = $0 { true } else { false } }
        // pgvector is not a trusted extension: a user who may not create it gets the pgvector message.
        try server.psql("postgres", "CREATE ROLE plain LOGIN PASSWORD 'plain-pw'")
        try server.psql("postgres", "CREATE DATABASE novector OWNER plain")
        #expect {
            _ = try Self.open(server.url("novector", user: "plain"), environment: ["PGPASSWORD": "plain-pw"])
        } throws: { if case StoreError.missingVector = $0 { true } else { false } }
    }

    @Test func aLostConnectionIsRetriedAndTheBatchLandsOnce() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("lost")
        let store = try Self.open(url)
        store.retry = RetryPolicy(attempts: 4, firstDelay: 0.05)
        try store.save([Self.record(1)])
        // Kill this store's backend: its next call finds the connection gone, reconnects, and runs again.
        try server.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(url.database)'")
        try store.save((2..<6).map { Self.record($0) })
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "5")
    }

    @Test func aConnectionThatStaysLostStopsWithItsOwnError() throws {
        // A store that was open, and whose database then stops taking connections.
        let server = try TestServer.shared()
        let real = try server.newDatabase("vanish")
        let store = try Self.open(real)
        store.retry = RetryPolicy(attempts: 2, firstDelay: 0.01)
        try server.psql("postgres", "ALTER DATABASE \(real.database) ALLOW_CONNECTIONS false")
        defer { _ = try? server.psql("postgres", "ALTER DATABASE \(real.database) ALLOW_CONNECTIONS true") }
        try server.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(real.database)'")
        #expect {
            try store.save([Self.record(1)])
        } throws: { if case StoreError.connectionLost(_, 2, _) = $0 { true } else { false } }
    }
}

/// Results collected from several threads.
final class ResultList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<Int, Error>] = []
    func append(_ item: Result<Int, Error>) { lock.withLock { items.append(item) } }
    var all: [Result<Int, Error>] { lock.withLock { items } }
}

extension String {
    /// The database name at the end of a store URL.
    var database: String {
        let path = URLComponents(string: self)!.path
        return String(path.dropFirst())
    }
}
