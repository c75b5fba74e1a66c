import Foundation

/// Where per-cover results live between runs, whatever keeps them: the SQLite cache
/// (`EmbeddingStore`, the embedded default) or a shared PostgreSQL database (`PostgresStore` in the
/// Store target, for catalogues one machine cannot embed alone).
///
/// The key is always the SHA-256 of the file's bytes plus a fingerprint of the model and
/// preprocessing, so a renamed file is still a hit and a changed one is recomputed. The pipeline
/// (`CoverScan`) reads through `lookup` and writes one `save` per network batch; a store makes each
/// save all-or-nothing.
public protocol CoverStore: AnyObject, Sendable {
    /// The record for a cover under a model, if the store has one.
    func lookup(contentHash: String, modelFingerprint: String) throws -> CoverRecord?
    /// Saves one batch's new records, and notes every file the batch covered (`files`, including
    /// covers found in the store and files that could not be read), in one transaction. Stores
    /// that keep no per-folder membership ignore `files`.
    func save(_ records: [CoverRecord], files: [ScannedFileKey]) throws
    /// The Grad-CAM heatmap of a cover under a model with its head (`CoverModel.fullFingerprint`).
    func attention(contentHash: String, modelFingerprint: String) throws -> Heatmap?
    func saveAttention(_ map: Heatmap, contentHash: String, modelFingerprint: String) throws
    /// Lookups answered from the store, and lookups that found nothing, since it opened.
    var hits: Int { get }
    var misses: Int { get }
}

extension CoverStore {
    /// Saves records that belong to no folder listing (copy descriptors, tests).
    public func save(_ records: [CoverRecord]) throws { try save(records, files: []) }
}

/// What a store holds for one cover under one model.
public struct CoverRecord: Sendable, Equatable {
    public var contentHash: String
    public var modelFingerprint: String
    /// The embedding, when the cover decoded.
    public var embedding: [Float]?
    /// The cover's colour statistics and thumbnail (`StoredPayload`, JSON).
    public var statistics: Data?
    /// Why the cover could not be used, when it could not.
    public var decodeError: String?

    public init(contentHash: String, modelFingerprint: String, embedding: [Float]? = nil,
                statistics: Data? = nil, decodeError: String? = nil) {
        self.contentHash = contentHash
        self.modelFingerprint = modelFingerprint
        self.embedding = embedding
        self.statistics = statistics
        self.decodeError = decodeError
    }
}

/// One file a scan covered: its path relative to the scanned folder and, when it could be read,
/// its content hash (the store key).
public struct ScannedFileKey: Sendable, Equatable, Hashable {
    public var relativePath: String
    public var contentHash: String?

    public init(relativePath: String, contentHash: String?) {
        self.relativePath = relativePath
        self.contentHash = contentHash
    }
}
