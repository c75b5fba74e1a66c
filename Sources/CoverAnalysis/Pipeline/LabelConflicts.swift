/// The same image (by content hash) given under both labels — in `--popular` and in `--other`, or
/// in the positive class folder and a negative one — is a labelling mistake: it cannot be both
/// popular and not. Such covers are named as skipped files and left out of both sides, so neither
/// the comparison nor a trained head learns from a contradiction.
///
/// A candidate identical to a popular cover is not a conflict: flagging it is what the
/// near-duplicate warning is for.
public enum LabelConflicts {
    /// One cover: where it is named from, its content hash, and which side it is on.
    public struct Item: Sendable {
        public var name: String
        public var hash: String
        public var positive: Bool

        public init(name: String, hash: String, positive: Bool) {
            self.name = name
            self.hash = hash
            self.positive = positive
        }
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
