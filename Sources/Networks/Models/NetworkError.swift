/// Why a network cannot do what was asked of it (loading problems are `CheckpointError`s).
public enum NetworkError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `logits` on a backbone loaded without a classifier (`fc` / `_fc` absent from the checkpoint).
    case noClassifier(architecture: String)

    public var description: String {
        switch self {
        case .noClassifier(let a):
            "\(a) has no classifier: the checkpoint had no classification layer; use embedding(_:) or attach a head"
        }
    }
}
