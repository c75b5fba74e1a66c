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
        // Only what a row needs is kept (not the thumbnails), as each folder's scan finishes.
        var covers: [(folder: LabelledFolders.ClassFolder, cover: (file: String, contentHash: String, embedding: [Float]))] = []
        var skipped: [SkippedFile] = []
        let classes = try source.classes()
        for folder in classes {
            let label = "\(role) \(folder.name)"
            if let name = folder.collection {
                // Head mode needs the embeddings only: read from the store, no file here.
                guard let reader = scan.store as? any CollectionReader else {
                    throw ScoreRequest.RequestError.collectionNeedsStore(flag: folder.positive ? "--popular" : "--other", name: name)
                }
                progress?(label, 0, 1)
                let read = try reader.embeddings(collection: name, modelFingerprint: scan.recordFingerprint)
                covers += read.map { (folder, ($0.file, $0.contentHash, $0.embedding)) }
                progress?(label, read.count, read.count)
                continue
            }
            let listing = try ImageFolder(folder.url, followSymlinks: followSymlinks)
            skipped += listing.problems.map { SkippedFile(folder: label, file: $0.path, reason: $0.reason) }
            let result = try scan.scan(listing.files, role: label) { done, total in progress?(label, done, total) }
            skipped += result.skipped
            covers += result.covers.map { (folder, ($0.file, $0.contentHash, $0.embedding)) }
        }
        // The same image under both labels is left out of both (LabelConflicts).
        let conflicts = LabelConflicts.find(covers.map {
            LabelConflicts.Item(name: "\($0.folder.name)/\($0.cover.file)", hash: $0.cover.contentHash, positive: $0.folder.positive)
        })
        for (index, twin) in conflicts.sorted(by: { $0.key < $1.key }) {
            skipped.append(SkippedFile(folder: "\(role) \(covers[index].folder.name)", file: covers[index].cover.file,
                                       reason: LabelConflicts.reason(twin: twin)))
        }
        var rows: [Float] = [], labels: [Float] = [], files: [String] = [], hashes: [UInt8] = []
        var dimension = 0
        for (index, item) in covers.enumerated() where conflicts[index] == nil {
            dimension = item.cover.embedding.count
            rows += item.cover.embedding
            labels.append(item.folder.positive ? 1 : 0)
            files.append("\(item.folder.name)/\(item.cover.file)")
            hashes += Array("\(item.cover.contentHash):\(item.folder.positive ? 1 : 0);".utf8)
        }
        let counts = classes.map { folder in
            ClassCount(name: folder.name, positive: folder.positive,
                       count: covers.indices.filter { conflicts[$0] == nil && covers[$0].folder.name == folder.name }.count)
        }
        let embeddings = LabelledEmbeddings(features: Tensor(shape: [labels.count, dimension], storage: rows), labels: labels,
                                            files: files, classCounts: counts, skipped: skipped,
                                            fingerprint: String(SHA256.hex(hashes).prefix(32)))
        if labels.isEmpty { throw LabelledFolders.LayoutError.noCovers(path: source.description, problems: skipped.count) }
        if embeddings.positives == 0 || embeddings.negatives == 0 {
            let missing = embeddings.positives == 0 ? (counts.first?.name ?? "popular") : "other"
            throw LabelledFolders.LayoutError.oneClassOnly(path: source.description, missing: missing)
        }
        return embeddings
    }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> (features: Tensor, labels: [Float]) {
        (HeadTrainer.gatherRows(features, indices), indices.map { labels[$0] })
    }
}
