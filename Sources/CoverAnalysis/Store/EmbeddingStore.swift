import Foundation
import GRDB

/// A cache of per-cover results (embedding, colour statistics, or the decode error), in SQLite.
///
/// Key: the SHA-256 of the file's bytes plus a fingerprint of the model and preprocessing that
/// produced the embedding. Re-running on the same folders recomputes nothing; a changed file has a
/// new hash and is recomputed; a renamed file is still a hit. The database runs in WAL mode
/// (GRDB's `DatabasePool`), so two runs can read and write it at once, and every write is a
/// transaction, so a killed run leaves either the whole record or none of it.
public final class EmbeddingStore: CoverStore, @unchecked Sendable {
    /// What the store holds for one cover under one model (the name it had before `CoverStore`).
    public typealias Record = CoverRecord

    public enum StoreError: Error, CustomStringConvertible {
        /// Not a usable cache: not SQLite, truncated, another schema, or a page SQLite finds damaged.
        case damaged(path: String, detail: String)
        case cannotOpen(path: String, detail: String)
        /// SQLite reported SQLITE_FULL: the disk (or quota) holding the cache is full.
        case diskFull(path: String)
        /// A damaged cache that could not be renamed out of the way (read-only folder, permissions).
        case cannotSetAside(path: String, detail: String, cause: String)

        public var description: String {
            switch self {
            case .diskFull(let p):
                "\(p): the embedding cache cannot be written because the disk is full; free some space or put the cache on another disk with --cache"
            case .damaged(let p, let d):
                "\(p): the embedding cache is damaged (\(d)); run again to set it aside and rebuild it, or start afresh with --rebuild-cache"
            case .cannotOpen(let p, let d):
                "\(p): the embedding cache cannot be opened (\(d)); check the folder exists and is writable"
            case .cannotSetAside(let p, let d, let cause):
                "\(p): not a usable embedding cache (\(d)) and it cannot be moved aside to be rebuilt (\(cause)); move or delete it yourself, choose another file with --cache, or run with --no-cache"
            }
        }

        /// SQLite's verdict on a damaged or foreign file, as a store error naming `path`.
        static func from(_ error: DatabaseError, path: String) -> StoreError? {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: .damaged(path: path, detail: error.message ?? "\(error.resultCode)")
            case .SQLITE_FULL: .diskFull(path: path)
            default: nil
            }
        }
    }

    public let url: URL
    private let pool: DatabasePool
    private let counters = Counters()

    /// Lookups answered from the store, and lookups that found nothing, since this store opened.
    public var hits: Int { counters.read { $0.hits } }
    public var misses: Int { counters.read { $0.misses } }

    /// Opens (or creates) the store at `url`. With `rebuild`, an existing file is deleted first.
    public init(url: URL, rebuild: Bool = false) throws {
        self.url = url
        let fm = FileManager.default
        if rebuild {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: url.path + suffix) }
        }
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: url.path, detail: error.localizedDescription)
        }
        let problem: String?
        do {
            problem = try CacheFileCheck.problem(at: url, knownMigrations: Self.knownMigrations)
        } catch {
            throw StoreError.cannotOpen(path: url.path, detail: "\(error)")
        }
        if let problem { throw StoreError.damaged(path: url.path, detail: problem) }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: url.path, configuration: configuration)
            try Self.migrator.migrate(pool)
            // A damaged file can open and still fail on its first real read.
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM covers") }
        } catch let error as DatabaseError {
            throw StoreError.from(error, path: url.path) ?? StoreError.cannotOpen(path: url.path, detail: "\(error)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: url.path, detail: "\(error)")
        }
    }

    /// The record for a cover under a model, if the store has one. Counts a hit or a miss.
    public func lookup(contentHash: String, modelFingerprint: String) throws -> Record? {
        let row = try read { db in
            try Row.fetchOne(db, sql: """
                SELECT embedding, statistics, decode_error FROM covers WHERE content_hash = ? AND model = ?
                """, arguments: [contentHash, modelFingerprint])
        }
        counters.update { row == nil ? ($0.misses += 1) : ($0.hits += 1) }
        guard let row else { return nil }
        // A value of the wrong type (a damaged row) reads as missing, so the caller recomputes it;
        // GRDB's non-throwing subscripts would stop the process instead.
        let blob = (try? row.decode(Data?.self, forColumn: "embedding")) ?? nil
        return Record(contentHash: contentHash, modelFingerprint: modelFingerprint,
                      embedding: blob.map(Self.floats), statistics: (try? row.decode(Data?.self, forColumn: "statistics")) ?? nil,
                      decodeError: (try? row.decode(String?.self, forColumn: "decode_error")) ?? nil)
    }

    /// Saves records in one transaction (all or nothing). The cache keeps no folder listing, so
    /// `files` is not stored.
    public func save(_ records: [Record], files: [ScannedFileKey]) throws {
        guard !records.isEmpty else { return }
        try write { db in
            for r in records {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO covers (content_hash, model, embedding, statistics, decode_error)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [r.contentHash, r.modelFingerprint, r.embedding.map(Self.blob),
                                     r.statistics, r.decodeError])
            }
        }
    }

    /// The Grad-CAM heatmap of a cover under a model with its head (`CoverModel.fullFingerprint`).
    public func attention(contentHash: String, modelFingerprint: String) throws -> Heatmap? {
        let row = try read { db in
            try Row.fetchOne(db, sql: "SELECT width, height, heatmap FROM attention WHERE content_hash = ? AND model = ?",
                             arguments: [contentHash, modelFingerprint])
        }
        guard let row, let blob = try? row.decode(Data.self, forColumn: "heatmap"),
              let width = try? row.decode(Int.self, forColumn: "width"), let height = try? row.decode(Int.self, forColumn: "height"),
              width > 0, height > 0 else { return nil }
        let values = Self.floats(blob)
        guard values.count == width * height, values.allSatisfy(\.isFinite) else { return nil }
        return Heatmap(width: width, height: height, values: values)
    }

    public func saveAttention(_ map: Heatmap, contentHash: String, modelFingerprint: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO attention (content_hash, model, width, height, heatmap) VALUES (?, ?, ?, ?, ?)
                """, arguments: [contentHash, modelFingerprint, map.width, map.height, Self.blob(map.values)])
        }
    }

    /// One write transaction; a full disk becomes `StoreError.diskFull` (SQLite rolls the
    /// transaction back, so the cache keeps everything saved before), a page damaged since the
    /// store opened `StoreError.damaged`.
    private func write(_ updates: (Database) throws -> Void) throws {
        do {
            try pool.write(updates)
        } catch let error as DatabaseError {
            throw StoreError.from(error, path: url.path) ?? error
        }
    }

    private func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(value)
        } catch let error as DatabaseError {
            throw StoreError.from(error, path: url.path) ?? error
        }
    }

    /// The schema versions this code can read, as GRDB records them in `grdb_migrations`.
    static var knownMigrations: Set<String> { Set(migrator.migrations) }

    /// The schema, versioned with GRDB's migrator so later versions can extend it in place.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE covers (
                    content_hash TEXT NOT NULL,
                    model TEXT NOT NULL,
                    embedding BLOB,
                    statistics BLOB,
                    decode_error TEXT,
                    PRIMARY KEY (content_hash, model)
                );
                CREATE TABLE attention (
                    content_hash TEXT NOT NULL,
                    model TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    heatmap BLOB NOT NULL,
                    PRIMARY KEY (content_hash, model)
                );
                """)
        }
        return migrator
    }

    /// Number of records stored (all models).
    public func count() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM covers") ?? 0 }
    }

    /// Float32 little-endian, as the safetensors files store them.
    static func blob(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - 3, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }
}

/// Hit and miss counts, safe to update from several threads.
private final class Counters: @unchecked Sendable {
    struct Values { var hits = 0; var misses = 0 }
    private var values = Values()
    private let lock = NSLock()
    func read<T>(_ body: (Values) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(values) }
    func update(_ body: (inout Values) -> Void) { lock.lock(); defer { lock.unlock() }; body(&values) }
}
