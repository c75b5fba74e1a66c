import Tensors

/// A backbone that can be fine-tuned: a training forward that records what its backward needs,
/// and a backward that adds every trainable layer's gradients into a `ParameterSet` by PyTorch name.
///
/// The training forward runs on the *unfolded* parameters (convolution, then BatchNorm with batch or
/// running statistics); the inference path keeps its folded weights. `FineTuningModel` owns the
/// parameter values and rebuilds (refolds) the backbone after every optimiser step, so inference
/// always sees the current weights.
///
/// A forward is split in two so a training loop can cache the frozen part:
/// `frozenActivations(x)` runs the layers the mode freezes on the fast inference path (nothing in
/// full mode, everything up to the embedding in head mode), and `trainingForward(frozenActivations:)`
/// runs the rest with caches.
public protocol TrainableBackbone: Backbone {
    /// Everything the backward needs from one training forward (activations, BatchNorm statistics).
    associatedtype Tape: Sendable

    init(stateDict: StateDict) throws
    /// PyTorch-convention BatchNorm momentum of the running-statistics update.
    static var batchNormMomentum: Double { get }
    /// Parameter and running-statistics names and shapes in module order (`classes: nil`: no classifier).
    static func parameterShapes(classes: Int?) -> [(name: String, shape: [Int])]
    /// Whether parameter `name` learns in `mode`.
    static func isTrainable(_ name: String, mode: FineTuneMode) -> Bool

    /// The input of the first trainable layer: x itself in full mode, the embedding `[N, D]` in head mode.
    func frozenActivations(_ x: Tensor, mode: FineTuneMode, workers: Int) -> Tensor
    /// Pooled features `[N, D]` from `frozenActivations`, with the caches for `backward`.
    func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> (features: Tensor, tape: Tape)
    /// Eval-mode embedding `[N, D]` from `frozenActivations` on the inference path (folded BatchNorm,
    /// running statistics): equals `embedding(x)`, so a loop that cached the frozen part validates
    /// from the cache without running the frozen layers again.
    func embedding(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> Tensor
    /// Adds dL/dθ of every parameter in the trainable part into `gradients`, from dL/dfeatures `[N, D]`.
    func backward(_ dFeatures: Tensor, tape: Tape, gradients: inout ParameterSet, workers: Int)
    /// The batch statistics each BatchNorm normalised with in training mode, by BatchNorm name, for
    /// the running-statistics update (empty when BN used its running statistics).
    func batchStatistics(in tape: Tape) -> [(batchNorm: String, statistics: BatchStatistics)]
}

extension TrainableBackbone {
    /// `trainingForward(frozenActivations: frozenActivations(x))`. x: `[N, 3, H, W]`.
    public func trainingForward(_ x: Tensor, mode: FineTuneMode, workers: Int = Parallelism.workers)
        -> (features: Tensor, tape: Tape) {
        trainingForward(frozenActivations: frozenActivations(x, mode: mode, workers: workers), mode: mode, workers: workers)
    }
}

/// The block index in a name like "_blocks.12._bn1.weight" / "layer3.1.conv1.weight" → 12 / (3, 1).
func blockIndex(of name: String, prefix: String) -> Int? {
    guard name.hasPrefix(prefix) else { return nil }
    return Int(name.dropFirst(prefix.count).prefix { $0 != "." })
}
