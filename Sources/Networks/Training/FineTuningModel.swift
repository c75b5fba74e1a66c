import Support
import Tensors

/// A backbone with the popularity head on top, ready for one training step after another:
/// `embedding → dropout → head (Linear(D, 1)) → logit`.
///
/// Typical loop (the trainer's):
///
///     model.zeroGradients()
///     let step = model.forwardBackward(images, targets: labels, loss: BCEWithLogits(), generator: &rng)
///     model.updateParameters { adam.update(&$0) }      // optimiser step, then refold
///
/// The backbone's layers own their parameters (with gradients) and BatchNorm running statistics;
/// the training forward and backward work on them in place. After `updateParameters` the layers
/// the mode trains are refolded, so the inference path (folded BatchNorm) runs the current weights.
/// Parameters outside the mode's trainable part are marked `isTrainable = false`; optimisers skip them.
public struct FineTuningModel<Network: TrainableBackbone>: Sendable {
    /// The network without a classifier. Its inference path is current after every
    /// `updateParameters` (with `refold: false`, after `refoldIfStale()`); whoever changes
    /// parameters another way refolds it.
    public internal(set) var backbone: Network
    /// The popularity head, under the architecture's classifier names (`fc` / `_fc`).
    public var head: Linear
    public let dropout: Dropout
    public var mode: FineTuneMode {
        didSet {
            // Steps under the old mode may have left its layers unfolded: fold every layer once.
            if inferenceIsStale {
                backbone.refold()
                inferenceIsStale = false
            }
            backbone.setTrainable(for: mode)
        }
    }

    /// - stateDict: backbone tensors (a classifier in it, e.g. ImageNet's, is ignored).
    /// - head: the popularity head; its parameter names should be the architecture's classifier's.
    /// - dropoutRate: applied to the embedding before the head while training (EfficientNet-Lite0 uses 0.2).
    public init(stateDict: StateDict, head: Linear, mode: FineTuneMode, dropoutRate: Float) throws {
        let names = Set(Network.parameterShapes(classes: nil).map(\.name))
        backbone = try Network(stateDict: stateDict.filter { name, _ in names.contains(name) })
        self.head = head
        self.mode = mode
        dropout = Dropout(rate: dropoutRate)
        backbone.setTrainable(for: mode)
    }

    /// What one forward/backward produced.
    public struct Step: Sendable {
        public var loss: Double
        public var logits: Tensor      // [N, 1]
        public var features: Tensor    // [N, D], before dropout
    }

    public mutating func zeroGradients() {
        backbone.zeroGradients()
        head.zeroGradients()
    }

    /// Forward in training mode, loss, backward: adds dL/dθ into the head's and the trainable backbone
    /// parameters' gradients and updates BatchNorm running statistics (as PyTorch's forward does).
    /// - x: `[N, 3, H, W]`, or, with `frozen: true`, the `frozenActivations` of such a batch.
    /// - targets: `[N, 1]` in [0, 1].
    public mutating func forwardBackward(_ x: Tensor, frozen: Bool = false, targets: Tensor, loss: BCEWithLogits,
                                         generator: inout SeededGenerator, compute: ComputeContext) -> Step {
        let h = frozen ? x : backbone.frozenActivations(x, mode: mode, compute: compute)
        let (features, tape) = backbone.trainingForward(frozenActivations: h, mode: mode, compute: compute)
        let (dropped, mask) = dropout.forward(features, generator: &generator)
        let logits = head.forward(dropped)
        let (value, dLogits) = loss.lossAndGradient(logits: logits, targets: targets)
        let wantsBackbone = mode != .head
        let dDropped = head.backward(dLogits, input: dropped, inputGradient: wantsBackbone)
        if wantsBackbone {
            backbone.backward(dropout.backward(dDropped, mask: mask), tape: tape, compute: compute)
        }
        return Step(loss: value, logits: logits, features: features)
    }

    /// Eval-mode logits `[N, 1]` (running statistics, no dropout), on the inference path.
    public func logits(_ x: Tensor, compute: ComputeContext) -> Tensor {
        precondition(!inferenceIsStale, "FineTuningModel.logits on a stale inference path: refoldIfStale() after updateParameters(refold: false)")
        return head.forward(backbone.embedding(x, compute: compute))
    }

    /// Visits the head's and the backbone's parameters (an optimiser step), then refolds the layers
    /// the mode trains.
    ///
    /// `refold: false` leaves the inference path on the weights it had (`inferenceIsStale`) until
    /// `refoldIfStale()`: the training forward and backward never read it, so a loop of steps folds
    /// once before it next runs inference instead of after every step (for ResNet18, folding and
    /// transforming 11 M weights for the Winograd layers each time, ~2 % of a full fine-tuning step).
    public mutating func updateParameters(refold: Bool = true, _ body: (inout Parameter) -> Void) {
        head.updateParameters(body)
        backbone.updateParameters(body)
        inferenceIsStale = true
        if refold { refoldIfStale() }
    }

    /// Whether the backbone's inference path (folded BatchNorm, Winograd weights) lags its parameters
    /// and running statistics, after `updateParameters(refold: false)`.
    public private(set) var inferenceIsStale = false

    /// Refolds the layers the mode trains if steps changed them since the last fold.
    public mutating func refoldIfStale() {
        guard inferenceIsStale else { return }
        backbone.refold(for: mode)
        inferenceIsStale = false
    }

    /// The parameters an optimiser changes, head first: what gradient clipping measures.
    public var learningParameters: [Parameter] {
        head.parameters + backbone.parameters.filter(\.isTrainable)
    }

    /// `clip_grad_norm_` over `learningParameters`; returns the norm before clipping.
    @discardableResult
    public mutating func clipGradientNorm(maxNorm: Double) -> Double {
        let total = globalGradientNorm(learningParameters)
        guard let scale = gradientClipScale(norm: total, maxNorm: maxNorm) else { return total }
        head.updateParameters { $0.scaleGradient(by: scale) }
        backbone.updateParameters { if $0.isTrainable { $0.scaleGradient(by: scale) } }
        return total
    }

    /// Puts back what `state` holds (a fine-tuning checkpoint's tensors: head, trainable backbone
    /// parameters, running statistics) and refolds. Throws when a tensor there has another shape
    /// than the model's, or the head is missing.
    public mutating func load(_ state: StateDict) throws {
        let headMismatch = head.load(state)
        if let missing = headMismatch.missing.first { throw CheckpointError.missingTensor(path: state.source, tensor: missing) }
        let misshapen = headMismatch.misshapen + backbone.load(state).misshapen
        if !misshapen.isEmpty {
            throw CheckpointError.architectureMismatch(path: state.source, architecture: Network.architecture,
                                                       problems: misshapen.map(\.description))
        }
        backbone.refold()
        inferenceIsStale = false
    }

    /// Backbone plus head, the layout of a CoverLens model file.
    public func stateDict() -> StateDict {
        var dict = backbone.stateDict()
        for p in head.parameters { dict[p.name] = StoredTensor(p.value) }
        return dict
    }
}
