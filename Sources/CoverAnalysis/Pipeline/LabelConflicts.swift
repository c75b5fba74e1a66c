/// The same image (by content hash) given under both labels — in `--popular` and in `--other`, or
/// in the positive class folder and a negative one — is a labelling mistake: it cannot be both
/// popular and not. Such covers are named as skipped files and left out of both sides, so neither
/// the comparison nor a trained head learns from a contradiction.
///
/// A candidate identical to a popular cover is not a conflict: flagging it is what the
/// near-duplicate warning is for.
public enum LabelConflicts {
    /// One cover: how a message names it ("popular/a.jpg"), its content hash, which side it is on,
    /// and where the skipped-file list puts it when it is left out.
    public struct Item: Sendable {
        public var name: String
        public var hash: String
        public var positive: Bool
        public var folder: String
        public var file: String

        public init(name: String, hash: String, positive: Bool, folder: String, file: String) {
            self.name = name
            self.hash = hash
            self.positive = positive
            self.folder = folder
            self.file = file
        }
    }

    /// Leaves out every item whose content is also on the other side: each is named in `skipped`
    /// (in the items' order) with the reason, and the indices of the items kept are returned, in order.
    public static func leaveOut(_ items: [Item], skipped: inout [SkippedFile]) -> [Int] {
        let conflicts = find(items)
        for (index, twin) in conflicts.sorted(by: { $0.key < $1.key }) {
            skipped.append(SkippedFile(folder: items[index].folder, file: items[index].file, reason: reason(twin: twin)))
        }
        return items.indices.filter { conflicts[$0] == nil }
    }

    /// For every item whose content also appears on the other side: its index, and the name of one
    /// such copy (the first in order), for the message.
    public static func find(_ items: [Item]) -> [Int: String] {
        var firstBySide: [Bool: [String: String]] = [true: [:], false: [:]]
        for item in items where firstBySide[item.positive]?[item.hash] == nil {
            firstBySide[item.positive]?[item.hash] = item.name
        }
        var conflicts: [Int: String] = [:]
        for (index, item) in items.enumerated() {
            if let twin = firstBySide[!item.positive]?[item.hash] { conflicts[index] = twin }
        }
        return conflicts
    }

    /// The skipped-file reason for a cover whose content is also `twin` on the other side.
    public static func reason(twin: String) -> String {
        "the same image is also \(twin) under the other label (a labelling mistake: a cover cannot be both popular and not); left out of both"
    }
}
