import Foundation
import Imaging

/// What `LabelledEmbeddings.scan` and `LabelledImages.scan` share around reading the covers: the
/// class folders listed, and, once every folder is read, the covers given under both labels left
/// out (`LabelConflicts`), each class counted, the rows fingerprinted and a set with one class only
/// refused. The two scans differ only in what they keep of a cover (an embedding or a file), so a
/// rule about labelled data is written here once.
enum ClassFolderScan {
    /// One class folder's usable files; `phase` ("train popular") names its progress and skipped files.
    struct Listing {
        var folder: LabelledFolders.ClassFolder
        var phase: String
        var files: [ImageFolder.Entry]
    }

    /// One cover read from a class folder: its path inside the folder, its content hash, and `row`,
    /// what the scan keeps of it.
    struct Found<Row> {
        var folder: LabelledFolders.ClassFolder
        var file: String
        var hash: String
        var row: Row

        /// "class/relative path", as rows and messages name a cover.
        var name: String { "\(folder.name)/\(file)" }
    }

    /// What is kept: the rows in order, covers per class folder, and the fingerprint (SHA-256 over
    /// every kept row's content hash and label).
    struct Settled<Row> {
        var kept: [Found<Row>]
        var classCounts: [LabelledEmbeddings.ClassCount]
        var fingerprint: String
    }

    /// One class folder, listed; what it holds that cannot be used is added to `skipped` under the
    /// folder's phase. (Folder by folder, so skipped files stay in the order the scan meets them.)
    static func list(_ folder: LabelledFolders.ClassFolder, role: String, followSymlinks: Bool,
                     skipped: inout [SkippedFile]) throws -> Listing {
        let listing = try ImageFolder(folder.url, followSymlinks: followSymlinks)
        let phase = "\(role) \(folder.name)"
        skipped += listing.problems.map { SkippedFile(folder: phase, file: $0.path, reason: $0.reason) }
        return Listing(folder: folder, phase: phase, files: listing.files)
    }

    /// Leaves out of `found` every cover whose content is also under the other label (named in
    /// `skipped`), counts and fingerprints the rest, and refuses a set with no covers, or covers of
    /// one class only.
    static func settle<Row>(_ found: [Found<Row>], classes: [LabelledFolders.ClassFolder], role: String, source: LabelledFolders,
                            skipped: inout [SkippedFile]) throws -> Settled<Row> {
        let items = found.map {
            LabelConflicts.Item(name: $0.name, hash: $0.hash, positive: $0.folder.positive,
                                folder: "\(role) \($0.folder.name)", file: $0.file)
        }
        let kept = LabelConflicts.leaveOut(items, skipped: &skipped).map { found[$0] }
        let counts = classes.map { folder in
            LabelledEmbeddings.ClassCount(name: folder.name, positive: folder.positive,
                                          count: kept.filter { $0.folder.name == folder.name }.count)
        }
        let hashes = kept.flatMap { Array("\($0.hash):\($0.folder.positive ? 1 : 0);".utf8) }
        let positives = kept.filter(\.folder.positive).count
        if kept.isEmpty { throw LabelledFolders.LayoutError.noCovers(path: source.description, problems: skipped.count) }
        if positives == 0 || positives == kept.count {
            let missing = positives == 0 ? (counts.first?.name ?? LabelledFolders.defaultPositive) : LabelledFolders.defaultNegative
            throw LabelledFolders.LayoutError.oneClassOnly(path: source.description, missing: missing)
        }
        return Settled(kept: kept, classCounts: counts, fingerprint: String(SHA256.hex(hashes).prefix(32)))
    }
}
