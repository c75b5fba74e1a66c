import Foundation

/// Where a set of reference covers (`--popular`, `--other`) comes from: a folder on this machine,
/// or a named collection in the shared store (`collection:NAME`), embedded elsewhere by
/// `coverlens embed DIR --store URL --collection NAME`, whose files need not be here.
public enum CoverSetLocation: Sendable, Equatable {
    case folder(URL)
    case collection(String)

    /// The prefix that names a collection instead of a folder on the command line.
    public static let collectionPrefix = "collection:"

    /// `collection:NAME` names a collection; anything else is a folder path.
    public init(argument: String) {
        if argument.hasPrefix(Self.collectionPrefix) {
            self = .collection(String(argument.dropFirst(Self.collectionPrefix.count)))
        } else {
            self = .folder(URL(fileURLWithPath: argument))
        }
    }

    public var folder: URL? {
        if case .folder(let url) = self { url } else { nil }
    }

    /// What results.json and the report call it: the folder's last path component (never the
    /// whole path, for sharing), or `collection:NAME`.
    public var label: String {
        switch self {
        case .folder(let url): url.lastPathComponent
        case .collection(let name): Self.collectionPrefix + name
        }
    }
}

/// Reads named collections (for `score` and for `train` in head mode): the shared store (`PostgresStore`) implements it; the SQLite cache,
/// which holds no collections, does not.
public protocol CollectionReader: Sendable {
    /// The collection's covers under `modelFingerprint`, ordered by path, as a scan of its folder
    /// would give them. Above `sampleLimit` covers, a seeded uniform sample of that many; `total`
    /// is the collection's size either way.
    func covers(collection: String, modelFingerprint: String, sampleLimit: Int?, seed: UInt64) throws -> (covers: [ScannedCover], total: Int)

    /// The collection's covers nearest (cosine, exact after the engine's candidates) to each of
    /// `queries`, `k` per query, without duplicates: what a candidate's top matches and copy check
    /// are drawn from when the rest of the analysis runs on a sample. The queries are style
    /// embeddings of `modelFingerprint`, or with `byCopyDescriptor` copy descriptors.
    /// The collection's embeddings under `modelFingerprint` (path, content hash, embedding), ordered
    /// by path: what training the head reads, without thumbnails or statistics.
    func embeddings(collection: String, modelFingerprint: String) throws -> [(file: String, contentHash: String, embedding: [Float])]

    func nearestCovers(collection: String, modelFingerprint: String, byCopyDescriptor: Bool, to queries: [[Float]],
                       k: Int) throws -> [ScannedCover]
}

/// How a reference set was analysed when it came from a collection larger than the sample limit.
public struct SampleSummary: Codable, Equatable, Sendable {
    /// Covers the set-wide analyses (palette, style clusters, percentiles, feature distributions,
    /// the heatmap's columns) ran on: a seeded uniform sample of the collection.
    public var size: Int
    /// Covers in the collection.
    public var total: Int
    /// The sample's seed (the run's `--seed`): the same seed draws the same sample.
    public var seed: UInt64

    public init(size: Int, total: Int, seed: UInt64) {
        self.size = size
        self.total = total
        self.seed = seed
    }
}
