import Foundation
import Imaging
import Tensors

/// The embeddings of a labelled data set, one row per usable cover, in a fixed order (class
/// folders positive first, files sorted within each), so runs and resumes see the same rows.
public struct LabelledEmbeddings: Sendable {
    /// [N, D]
    public var features: Tensor
    /// N values, 1 = positive (popular).
    public var labels: [Float]
    /// "class/relative path" per row.
    public var files: [String]
    /// Covers per class folder, in class order (positive first).
    public var classCounts: [ClassCount]
    public var skipped: [SkippedFile]
    /// SHA-256 over every row's content hash and label: identifies the data a checkpoint was trained on.
    public var fingerprint: String

    public struct ClassCount: Codable, Equatable, Sendable {
        public var name: String
        public var positive: Bool
        public var count: Int
    }

    public var positives: Int { labels.filter { $0 > 0.5 }.count }
    public var negatives: Int { labels.count - positives }

    /// Scans every class folder of `source` with `scan` (embeddings come from its store when known).
    /// - Parameter role: prefix for progress phases and skipped-file reports ("train", "validation").
    public static func scan(_ source: LabelledFolders, with scan: CoverScan, role: String, followSymlinks: Bool = false,
                            progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil) throws -> LabelledEmbeddings {
        var skipped: [SkippedFile] = []
        let classes = try source.classes()
        // Only what a row needs is kept (the embedding, not the thumbnails), as each folder's scan finishes.
        var found: [ClassFolderScan.Found<[Float]>] = []
        for folder in classes {
            if let name = folder.collection {
                // Head mode needs the embeddings only: read from the store, no file here.
                let phase = "\(role) \(folder.name)"
                guard let reader = scan.store as? any CollectionReader else {
                    throw ScoreRequest.RequestError.collectionNeedsStore(flag: folder.positive ? "--popular" : "--other", name: name)
                }
                progress?(phase, 0, 1)
                let read = try reader.embeddings(collection: name, modelFingerprint: scan.recordFingerprint)
                found += read.map { ClassFolderScan.Found(folder: folder, file: $0.file, hash: $0.contentHash, row: $0.embedding) }
                progress?(phase, read.count, read.count)
                continue
            }
            let listing = try ClassFolderScan.list(folder, role: role, followSymlinks: followSymlinks, skipped: &skipped)
            let result = try scan.scan(listing.files, role: listing.phase) { done, total in progress?(listing.phase, done, total) }
            skipped += result.skipped
            found += result.covers.map { ClassFolderScan.Found(folder: folder, file: $0.file, hash: $0.contentHash, row: $0.embedding) }
        }
        let settled = try ClassFolderScan.settle(found, classes: classes, role: role, source: source, skipped: &skipped)
        let rows = settled.kept
        return LabelledEmbeddings(features: Tensor(shape: [rows.count, rows.last?.row.count ?? 0], storage: rows.flatMap(\.row)),
                                  labels: rows.map { $0.folder.positive ? 1 : 0 }, files: rows.map(\.name),
                                  classCounts: settled.classCounts, skipped: skipped, fingerprint: settled.fingerprint)
    }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> (features: Tensor, labels: [Float]) {
        (HeadTrainer.gatherRows(features, indices), indices.map { labels[$0] })
    }
}
