import Support
import Tensors

/// A backbone that can be fine-tuned: a training forward that records what its backward needs,
/// and a backward that adds every trainable layer's gradients into the layers' own parameters.
///
/// The training forward runs on the *unfolded* parameters (convolution, then BatchNorm with batch or
/// running statistics) and moves BatchNorm's running statistics as PyTorch's forward does; the
/// inference path runs folded copies, which `refold(for:)` brings up to date after an optimiser step.
///
/// A forward is split in two so a training loop can cache the frozen part:
/// `frozenActivations(x)` runs the layers the mode freezes on the fast inference path (nothing in
/// full mode, everything up to the embedding in head mode), and `trainingForward(frozenActivations:)`
/// runs the rest with caches.
public protocol TrainableBackbone: Backbone, Module {
    /// Everything the backward needs from one training forward (activations, BatchNorm statistics).
    associatedtype Tape: Sendable

    init(stateDict: StateDict) throws
    /// The model tree with every tensor named and zero, for `load` and then `refold()` (which the
    /// checkpoint initialiser does): `classes` outputs of the classifier, or none.
    init(classes: Int?)
    /// How many blocks `FineTuneMode.partial(lastBlocks:)` counts from the end: 16 MBConv blocks
    /// (EfficientNet-Lite0), 8 BasicBlocks (ResNet18).
    static var blockCount: Int { get }
    /// Visits every convolution + BatchNorm layer in module order with its place in the network.
    mutating func visitLayers(_ body: (inout ConvBNActivation, BackbonePart) -> Void)

    /// The input of the first trainable layer: x itself in full mode, the embedding `[N, D]` in head mode.
    func frozenActivations(_ x: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor
    /// Pooled features `[N, D]` from `frozenActivations`, with the caches for `backward`; BatchNorm
    /// layers that normalise with batch statistics update their running statistics.
    mutating func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> (features: Tensor, tape: Tape)
    /// Eval-mode embedding `[N, D]` from `frozenActivations` on the inference path (folded BatchNorm,
    /// running statistics): equals `embedding(x)`, so a loop that cached the frozen part validates
    /// from the cache without running the frozen layers again.
    func embedding(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor
    /// Adds dL/dθ of every parameter in the trainable part into its gradient, from dL/dfeatures `[N, D]`.
    mutating func backward(_ dFeatures: Tensor, tape: Tape, compute: ComputeContext)
}

extension TrainableBackbone {
    /// Parameter and running-statistics names and shapes in module order (`classes: nil`: no classifier).
    public static func parameterShapes(classes: Int? = 1000) -> [(name: String, shape: [Int])] {
        Self(classes: classes).tensorShapes
    }

    /// Every layer's tensors in module order, then the classifier's.
    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        visitLayers { layer, _ in layer.visit(parameters: parameters, buffers: buffers) }
        classifier?.visit(parameters: parameters, buffers: buffers)
    }

    /// `trainingForward(frozenActivations: frozenActivations(x))`. x: `[N, 3, H, W]`.
    public mutating func trainingForward(_ x: Tensor, mode: FineTuneMode, compute: ComputeContext)
        -> (features: Tensor, tape: Tape) {
        trainingForward(frozenActivations: frozenActivations(x, mode: mode, compute: compute), mode: mode, compute: compute)
    }

    /// Marks the parameters of the layers `mode` trains as learning and every other layer's as frozen
    /// (optimisers skip frozen parameters). The classifier, if any, is left as it is.
    public mutating func setTrainable(for mode: FineTuneMode) {
        visitLayers { layer, part in layer.setTrainable(mode.trains(part, blocks: Self.blockCount)) }
    }

    /// Refolds the layers `mode` trains (after an optimiser step and the training forwards before it,
    /// which are the only things that change them), so the inference path runs the current weights.
    public mutating func refold(for mode: FineTuneMode) {
        visitLayers { layer, part in if mode.trains(part, blocks: Self.blockCount) { layer.refold() } }
    }

    /// Refolds every layer (after loading).
    public mutating func refold() {
        visitLayers { layer, _ in layer.refold() }
    }
}
