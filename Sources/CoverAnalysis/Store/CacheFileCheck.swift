import Foundation
import GRDB

/// Decides whether an existing file can serve as the embedding cache, without changing it.
///
/// The cache is derived data: a file that is not one (random bytes, a truncated copy, another
/// program's SQLite database, a schema this version does not know) is set aside and rebuilt, not
/// repaired. The decision is taken before `EmbeddingStore` opens the file as a `DatabasePool`,
/// because that already switches the file to WAL mode, and migrating it would add CoverLens's
/// tables to another program's database.
enum CacheFileCheck {
    /// The first 16 bytes of every SQLite 3 database file.
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// The tables CoverLens writes and the columns it reads from them (schema "v1").
    static let expectedColumns: [String: Set<String>] = [
        "covers": ["content_hash", "model", "embedding", "statistics", "decode_error"],
        "attention": ["content_hash", "model", "width", "height", "heatmap"],
    ]

    /// GRDB's record of applied migrations, the cache's schema version.
    static let migrationsTable = "grdb_migrations"

    /// Nil when `url` is missing, empty or a usable cache; else what is wrong, as a short phrase.
    /// Throws only when the file cannot be read at all (permissions, I/O).
    static func problem(at url: URL, knownMigrations: Set<String>) throws -> String? {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw error
        }
        let header = try handle.read(upToCount: 100) ?? Data()
        try? handle.close()
        guard !header.isEmpty else { return nil }
        guard header.starts(with: sqliteMagic) else { return "not an SQLite database" }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try schemaProblem(db, knownMigrations: knownMigrations) ?? integrityProblem(db) }
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return truncation(of: url, header: header) ?? error.message ?? "\(error.resultCode)"
        }
    }

    /// "truncated: n of m bytes" when the file is shorter than its header says, to name the likely
    /// cause once SQLite has found the file damaged.
    static func truncation(of url: URL, header: Data) -> String? {
        let fm = FileManager.default
        guard let size = (try? fm.attributesOfItem(atPath: url.path))?[.size] as? Int,
              let expected = declaredSize(header), expected > size else { return nil }
        return "truncated: \(size) of \(expected) bytes"
    }

    /// The size the header says the file has (page size × page count), when the header's count is
    /// valid (its "version-valid-for" number equals the change counter, as SQLite itself checks).
    /// Only asked after SQLite found the file damaged: a run killed during a checkpoint can leave
    /// the main file shorter than its header says, with the missing pages still in the log.
    static func declaredSize(_ header: Data) -> Int? {
        guard header.count >= 100 else { return nil }
        let bytes = [UInt8](header)
        func uint32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let rawPageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        let pages = uint32(28)
        guard pages > 0, uint32(24) == uint32(92), pageSize >= 512 else { return nil }
        return pages * pageSize
    }

    /// Another program's tables, a newer schema, or CoverLens's tables with other columns.
    static func schemaProblem(_ db: Database, knownMigrations: Set<String>) throws -> String? {
        let tables = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        let data = tables.subtracting([migrationsTable])
        guard tables.contains(migrationsTable) else {
            return data.isEmpty ? nil : "a database of another program, with tables \(list(data))"
        }
        let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM \(migrationsTable)"))
        let unknown = applied.subtracting(knownMigrations)
        guard unknown.isEmpty else { return "schema version \(list(unknown)), which this version of CoverLens does not know" }
        if applied.isEmpty { return data.isEmpty ? nil : "a database of another program, with tables \(list(data))" }
        let extra = data.subtracting(expectedColumns.keys)
        guard extra.isEmpty else { return "tables \(list(extra)) that CoverLens does not make" }
        for (table, columns) in expectedColumns.sorted(by: { $0.key < $1.key }) {
            guard data.contains(table) else { return "the table \(table) is missing" }
            let found = try Set(db.columns(in: table).map(\.name))
            guard found == columns else { return "the table \(table) has columns \(list(found)), not \(list(columns))" }
        }
        return nil
    }

    /// SQLite's own check of every page (`quick_check` skips only index-versus-table consistency,
    /// which this schema's primary keys do not need), so a damaged page is found here, not midway
    /// through a run. It is cheap next to decoding and embedding: `sqlite3 FILE "PRAGMA quick_check(1)"`
    /// on a 206 MB cache of 10,000 covers took 0.07–0.08 s of wall time (file in the page cache).
    /// Its answer can span lines ("*** in database main ***", then the page); the warning it
    /// becomes is one line, so they are joined.
    static func integrityProblem(_ db: Database) throws -> String? {
        let result = try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
        guard result != ["ok"] else { return nil }
        let answer = (result.first ?? "no answer").split(whereSeparator: \.isNewline).joined(separator: " ")
        return "SQLite's integrity check says: \(answer)"
    }

    private static func list(_ names: Set<String>) -> String { names.sorted().joined(separator: ", ") }
}
