/// Which part of a pretrained backbone a training run changes.
///
/// - `head`: the backbone is frozen and runs its fast inference path (folded BatchNorm); only the
///   popularity head learns. Embeddings can be computed once per data set.
/// - `partial(lastBlocks:)`: the last `lastBlocks` blocks (EfficientNet-Lite0: of its 16 MBConv
///   blocks, plus the 1×1 head convolution; ResNet18: of its 8 BasicBlocks) learn, with BatchNorm in
///   training mode; everything before them is frozen and runs the inference path, so its output
///   (`frozenActivations`) can be cached per epoch when the input images do not change.
/// - `full(freezeBatchNorm:)`: every parameter learns. With `freezeBatchNorm` BatchNorm normalises
///   with its running statistics and leaves them alone (PyTorch's `eval()` BN, usual for small
///   batches); γ and β still learn. Without it BN uses batch statistics and updates the running ones.
public enum FineTuneMode: Equatable, Sendable, CustomStringConvertible {
    case head
    case partial(lastBlocks: Int)
    case full(freezeBatchNorm: Bool)

    /// Index of the first trainable block among `blocks`, `blocks` when only later layers learn,
    /// nil in head mode. 0 in full mode (and the stem learns too).
    func firstTrainableBlock(of blocks: Int) -> Int? {
        switch self {
        case .head: nil
        case .partial(let k): blocks - min(max(k, 0), blocks)
        case .full: 0
        }
    }

    /// Whether a layer at `part` of a backbone with `blocks` blocks learns.
    func trains(_ part: BackbonePart, blocks: Int) -> Bool {
        guard let first = firstTrainableBlock(of: blocks) else { return false }
        switch part {
        case .stem: return trainsStem
        case .block(let i): return i >= first
        case .top: return true
        }
    }

    var trainsStem: Bool {
        if case .full = self { return true }
        return false
    }

    /// BatchNorm in the trainable part normalises with batch statistics.
    var usesBatchStatistics: Bool {
        switch self {
        case .head: false
        case .partial: true
        case .full(let frozen): !frozen
        }
    }

    public var description: String {
        switch self {
        case .head: "head"
        case .partial(let k): "partial (last \(k) blocks)"
        case .full(let frozen): frozen ? "full (BatchNorm frozen)" : "full"
        }
    }
}
