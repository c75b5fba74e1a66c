import Foundation
import Imaging

/// The covers of a labelled data set as files, for partial and full fine-tuning, which need the
/// pixels every epoch (augmented, through the trainable layers) rather than one cached embedding.
///
/// Rows are in `LabelledEmbeddings`' order (class folders positive first, files sorted within
/// each) and the fingerprint is computed the same way, so a split and a checkpoint's data check
/// mean the same in every mode. Every file is read, hashed and decoded once while scanning, so a
/// cover that cannot be used is reported up front and never interrupts an epoch.
public struct LabelledImages: Sendable {
    public struct Entry: Sendable {
        public var url: URL
        /// "class/relative path".
        public var name: String
        /// 1 = positive (popular).
        public var label: Float
    }

    public var entries: [Entry]
    public var classCounts: [LabelledEmbeddings.ClassCount]
    public var skipped: [SkippedFile]
    /// As `LabelledEmbeddings.fingerprint`: SHA-256 over every row's content hash and label.
    public var fingerprint: String

    public var labels: [Float] { entries.map(\.label) }
    public var count: Int { entries.count }

    /// Lists every class folder of `source` and checks each file decodes (on a background thread,
    /// 16 files at a time, while the previous ones are hashed into the fingerprint).
    public static func scan(_ source: LabelledFolders, role: String, followSymlinks: Bool = false, limits: DecodeLimits = .default,
                            progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil) throws -> LabelledImages {
        var skipped: [SkippedFile] = []
        let classes = try source.classes()
        var found: [ClassFolderScan.Found<URL>] = []
        for folder in classes {
            let listing = try ClassFolderScan.list(folder, role: role, followSymlinks: followSymlinks, skipped: &skipped)
            let files = listing.files
            let chunks = stride(from: 0, to: files.count, by: 16).map { Array(files[$0..<min($0 + 16, files.count)]) }
            let prefetch = Prefetcher(count: chunks.count) { index in chunks[index].map { Self.check($0, limits: limits) } }
            var done = 0
            for index in chunks.indices {
                for (entry, result) in zip(chunks[index], prefetch.take(index)) {
                    switch result {
                    case .success(let hash):
                        found.append(ClassFolderScan.Found(folder: folder, file: entry.relativePath, hash: hash, row: entry.url))
                    case .failure(let reason):
                        skipped.append(SkippedFile(folder: listing.phase, file: entry.relativePath, reason: reason.text))
                    }
                }
                done += chunks[index].count
                progress?(listing.phase, done, files.count)
            }
        }
        let settled = try ClassFolderScan.settle(found, classes: classes, role: role, source: source, skipped: &skipped)
        return LabelledImages(entries: settled.kept.map { Entry(url: $0.row, name: $0.name, label: $0.folder.positive ? 1 : 0) },
                              classCounts: settled.classCounts, skipped: skipped, fingerprint: settled.fingerprint)
    }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabelledImages {
        var copy = self
        copy.entries = indices.map { entries[$0] }
        copy.skipped = []
        return copy
    }

    struct Reason: Error { var text: String }

    /// The file's content hash when it reads and decodes.
    static func check(_ entry: ImageFolder.Entry, limits: DecodeLimits) -> Result<String, Reason> {
        let bytes: Data
        do { bytes = try Data(contentsOf: entry.url) } catch {
            return .failure(Reason(text: "cannot be read (\(CoverScan.reason(error))); check its permissions"))
        }
        do { _ = try ImageDecoder.decode(data: bytes, name: entry.relativePath, limits: limits) } catch {
            return .failure(Reason(text: CoverScan.reason(error)))
        }
        return .success(SHA256.hex(bytes))
    }
}
