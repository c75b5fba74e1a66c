import Foundation
import PostgresNIO

/// The store's tables, created and migrated by CoverLens itself, with the schema version in the
/// database (`coverlens_schema`), so a newer CoverLens can extend them in place and an older one
/// refuses to write into tables it does not understand.
///
/// Every worker of a batch job starts at the same moment and runs `prepare`: a session-level
/// advisory lock makes the first one create or migrate the tables while the others wait, and they
/// then find the schema current. Each migration is one transaction with its version bump.
enum StoreSchema {
    /// The version this CoverLens writes; `migrations[v - 1]` brings a store from v - 1 to v.
    static var current: Int { migrations.count }

    /// The advisory-lock key: "CoverLen" in ASCII, so other applications' locks do not collide.
    static let lockKey: Int64 = 0x436F_7665_724C_656E

    /// The oldest pgvector with HNSW indexes.
    static let minimumVector = (0, 5)

    static let migrations: [String] = [
        // v1: covers per model (embedding as pgvector, colour statistics + thumbnail, decode error),
        // attention maps, named collections with the files registered under them, shard progress.
        """
        CREATE TABLE coverlens_models (
            id serial PRIMARY KEY,
            fingerprint text NOT NULL UNIQUE,
            dimension integer NOT NULL,
            label text
        );
        CREATE TABLE coverlens_covers (
            content_hash text NOT NULL,
            model_id integer NOT NULL REFERENCES coverlens_models (id),
            embedding vector,
            statistics bytea,
            decode_error text,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (content_hash, model_id)
        );
        CREATE INDEX coverlens_covers_model ON coverlens_covers (model_id);
        CREATE TABLE coverlens_attention (
            content_hash text NOT NULL,
            model_id integer NOT NULL REFERENCES coverlens_models (id),
            width integer NOT NULL,
            height integer NOT NULL,
            heatmap real[] NOT NULL,
            PRIMARY KEY (content_hash, model_id)
        );
        CREATE TABLE coverlens_collections (
            id serial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE coverlens_members (
            collection_id integer NOT NULL REFERENCES coverlens_collections (id) ON DELETE CASCADE,
            path text NOT NULL,
            content_hash text,
            shard_index integer NOT NULL,
            shard_count integer NOT NULL,
            PRIMARY KEY (collection_id, path)
        );
        CREATE INDEX coverlens_members_hash ON coverlens_members (collection_id, content_hash);
        CREATE TABLE coverlens_shards (
            collection_id integer NOT NULL REFERENCES coverlens_collections (id) ON DELETE CASCADE,
            model_id integer NOT NULL REFERENCES coverlens_models (id),
            shard_index integer NOT NULL,
            shard_count integer NOT NULL,
            expected integer NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            PRIMARY KEY (collection_id, model_id, shard_count, shard_index)
        );
        """,
    ]

    /// Makes sure pgvector is there and the schema is current.
    /// - Throws: `StoreError.missingVector`, `.newerSchema`, or `.server`.
    static func prepare(_ connection: PostgresConnection, store: String, logger: Logger) throws {
        func run(_ sql: String) throws -> PostgresQueryResult {
            try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait()
        }
        do {
            _ = try run("SELECT pg_advisory_lock(\(lockKey))")
            defer { _ = try? run("SELECT pg_advisory_unlock(\(lockKey))") }
            try installVector(run, store: store)
            _ = try run("""
                CREATE TABLE IF NOT EXISTS coverlens_schema (
                    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                    version integer NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let found = try run("SELECT version FROM coverlens_schema").first.map { try $0.makeRandomAccess()[0].decode(Int.self) } ?? 0
            guard found <= current else { throw StoreError.newerSchema(store: store, found: found, supported: current) }
            for version in (found + 1)...max(found + 1, current) where version <= current {
                _ = try run("BEGIN")
                do {
                    // One statement per query: the extended protocol takes no more.
                    for statement in migrations[version - 1].components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                        _ = try run(statement)
                    }
                    _ = try run("""
                        INSERT INTO coverlens_schema (version) VALUES (\(version))
                        ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
                        """)
                    _ = try run("COMMIT")
                } catch {
                    _ = try? run("ROLLBACK")
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.server(store: store, detail: PostgresStore.detail(error))
        }
    }

    /// `CREATE EXTENSION IF NOT EXISTS vector`, and a version with HNSW.
    private static func installVector(_ run: (String) throws -> PostgresQueryResult, store: String) throws {
        do {
            _ = try run("CREATE EXTENSION IF NOT EXISTS vector")
        } catch let error as PSQLError {
            // 0A000 / 58P01: not installed on the server; 42501: no right to create it here.
            let state = error.serverInfo?[.sqlState] ?? ""
            guard ["0A000", "58P01", "42501"].contains(state) else { throw error }
            throw StoreError.missingVector(store: store, detail: PostgresStore.detail(error))
        }
        let version = try run("SELECT extversion FROM pg_extension WHERE extname = 'vector'").first
            .map { try $0.makeRandomAccess()[0].decode(String.self) } ?? ""
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2, (parts[0], parts[1]) >= minimumVector else {
            throw StoreError.missingVector(store: store, detail: "pgvector \(version.isEmpty ? "is not installed" : version + " has no HNSW index")")
        }
    }
}
