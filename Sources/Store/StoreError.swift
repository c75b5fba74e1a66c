import Foundation

/// What can go wrong with the shared store, one sentence each, every message naming the store by
/// its redacted URL. Each case has its own exit status (`exitStatus`), so a batch scheduler can tell
/// a server that is down (retry later) from a wrong password or an old CoverLens (do not retry).
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// No server answered at the address (refused, no route, DNS, timeout).
    case unreachable(store: String, detail: String)
    /// The server refused the user or password, or asked for a password none of the sources had.
    case authentication(store: String, detail: String)
    /// The database has no pgvector, it is older than 0.5 (no HNSW), or it cannot be installed.
    case missingVector(store: String, detail: String)
    /// The tables were made by a newer CoverLens: this one must not write into them.
    case newerSchema(store: String, found: Int, supported: Int)
    /// A vector's length differs from the one the model's vectors have in this store.
    case dimensionMismatch(store: String, model: String, stored: Int, given: Int)
    /// The connection dropped and did not come back after the retries; the batch in flight was
    /// rolled back, so everything committed before it stays.
    case connectionLost(store: String, attempts: Int, detail: String)
    /// A named collection that the store does not hold, or holds nothing for the model.
    case noSuchCollection(store: String, name: String)
    case collectionLacksModel(store: String, name: String, model: String, models: [String])
    /// `coverlens store index` found no vectors to index (`what`: "of model M", "in collection C").
    case nothingToIndex(store: String, what: String)
    /// The server ran out of memory, disk or another resource while building an index; the build's
    /// transaction was rolled back, so no half-built index is left.
    case indexBuildFailed(store: String, index: String, detail: String)
    /// Anything else the server said (a constraint, a permission), with its SQLSTATE.
    case server(store: String, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let s, let d):
            "\(s): the store cannot be reached (\(d)); check the host and port, and that PostgreSQL is running"
        case .authentication(let s, let d):
            "\(s): the store refused the login (\(d)); set the password in PGPASSWORD or ~/.pgpass (never on the command line)"
        case .missingVector(let s, let d):
            "\(s): the database lacks pgvector ≥ 0.5 (\(d)); install it and run CREATE EXTENSION vector as a superuser"
        case .newerSchema(let s, let found, let supported):
            "\(s): the store's tables are schema version \(found), made by a newer CoverLens (this one knows up to \(supported)); upgrade CoverLens"
        case .dimensionMismatch(let s, let model, let stored, let given):
            "\(s): model \(Self.short(model)) has \(stored)-d vectors in the store, but \(given) values were given; nothing of this batch was written"
        case .connectionLost(let s, let attempts, let d):
            "\(s): the connection was lost and \(attempts) attempts to reconnect failed (\(d)); the batch in flight was rolled back, run again to finish"
        case .noSuchCollection(let s, let name):
            "\(s): there is no collection named \(name); embed one with coverlens embed DIR --store URL --collection \(name)"
        case .collectionLacksModel(let s, let name, let model, let models):
            "\(s): collection \(name) has no embeddings from this model (\(Self.short(model)))"
                + (models.isEmpty ? "" : "; it has \(models.map(Self.short).joined(separator: ", "))")
                + "; embed it again with this model"
        case .nothingToIndex(let s, let what):
            "\(s): there are no vectors \(what) to index; embed covers first"
        case .indexBuildFailed(let s, let index, let d):
            "\(s): the server could not build \(index) (\(d)); nothing was kept: give it less --maintenance-work-mem or more room, and run again"
        case .server(let s, let d):
            "\(s): the store reported an error (\(d))"
        }
    }

    /// The process exit status for this error (listed in `coverlens --help`): 7 unreachable,
    /// 8 login refused, 9 no pgvector, 10 newer schema, 11 dimension or model mismatch, 12 the
    /// connection lost for good, 13 an index the server could not build; a missing collection, or
    /// nothing to index, is bad input (4), anything else 1.
    public var exitStatus: Int32 {
        switch self {
        case .unreachable: 7
        case .authentication: 8
        case .missingVector: 9
        case .newerSchema: 10
        case .dimensionMismatch, .collectionLacksModel: 11
        case .connectionLost: 12
        case .indexBuildFailed: 13
        case .noSuchCollection, .nothingToIndex: 4
        case .server: 1
        }
    }

    /// The fingerprint's readable part (architecture and preprocessing), not its hash suffix.
    static func short(_ fingerprint: String) -> String {
        fingerprint.count <= 80 ? fingerprint : String(fingerprint.prefix(77)) + "…"
    }
}
