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
/// The model owns the values of every backbone parameter (`parameters`, PyTorch names, module order)
/// and the BatchNorm running statistics (`buffers`). After `updateParameters` it rebuilds the backbone
/// from them, so the inference path (folded BatchNorm) always runs the current weights.
/// Parameters outside the mode's trainable part are marked `isTrainable = false`; optimisers skip them.
public struct FineTuningModel<Network: TrainableBackbone>: Sendable {
    /// The inference network with the current weights (folded BatchNorm).
    public private(set) var backbone: Network
    /// The popularity head, under the architecture's classifier names (`fc` / `_fc`).
    public var head: LinearHead
    public let dropout: Dropout
    public var mode: FineTuneMode {
        didSet { markTrainable() }
    }
    /// Backbone parameters (PyTorch names, module order) with their accumulated gradients.
    public var parameters: ParameterSet
    /// BatchNorm running statistics by name (`…running_mean`, `…running_var`), in module order.
    public private(set) var buffers: StateDict

    /// - stateDict: backbone tensors (a classifier in it, e.g. ImageNet's, is ignored).
    /// - head: the popularity head; its parameter names should be the architecture's classifier prefix.
    /// - dropoutRate: applied to the embedding before the head while training (EfficientNet-Lite0 uses 0.2).
    public init(stateDict: StateDict, head: LinearHead, mode: FineTuneMode, dropoutRate: Float) throws {
        let shapes = Network.parameterShapes(classes: nil)
        let names = Set(shapes.map(\.name))
        let backboneOnly = stateDict.filter { name, _ in names.contains(name) }
        backbone = try Network(stateDict: backboneOnly)
        var parameters = ParameterSet()
        var buffers = StateDict(source: stateDict.source)
        for (name, _) in shapes {
            let value = try backboneOnly.tensor(name)
            if name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
                buffers[name] = StoredTensor(value)
            } else {
                parameters.append(Parameter(name: name, value: value))
            }
        }
        self.parameters = parameters
        self.buffers = buffers
        self.head = head
        self.mode = mode
        dropout = Dropout(rate: dropoutRate)
        markTrainable()
    }

    private mutating func markTrainable() {
        let mode = self.mode
        parameters.update { $0.isTrainable = Network.isTrainable($0.name, mode: mode) }
    }

    /// What one forward/backward produced.
    public struct Step: Sendable {
        public var loss: Double
        public var logits: Tensor      // [N, 1]
        public var features: Tensor    // [N, D], before dropout
    }

    public mutating func zeroGradients() {
        parameters.zeroGradients()
        head.zeroGradients()
    }

    /// Forward in training mode, loss, backward: adds dL/dθ into the head's and the trainable backbone
    /// parameters' gradients and updates BatchNorm running statistics (as PyTorch's forward does).
    /// - x: `[N, 3, H, W]`, or, with `frozen: true`, the `frozenActivations` of such a batch.
    /// - targets: `[N, 1]` in [0, 1].
    public mutating func forwardBackward(_ x: Tensor, frozen: Bool = false, targets: Tensor, loss: BCEWithLogits,
                                         generator: inout SeededGenerator, workers: Int = Parallelism.workers) -> Step {
        let h = frozen ? x : backbone.frozenActivations(x, mode: mode, workers: workers)
        let (features, tape) = backbone.trainingForward(frozenActivations: h, mode: mode, workers: workers)
        for (name, statistics) in backbone.batchStatistics(in: tape) { updateRunningStatistics(name, statistics) }
        let (dropped, mask) = dropout.forward(features, generator: &generator)
        let logits = head.forward(dropped)
        let (value, dLogits) = loss.lossAndGradient(logits: logits, targets: targets)
        let wantsBackbone = mode != .head
        let dDropped = head.backward(dLogits, input: dropped, wantInputGradient: wantsBackbone)
        if wantsBackbone {
            backbone.backward(dropout.backward(dDropped, mask: mask), tape: tape, gradients: &parameters, workers: workers)
        }
        return Step(loss: value, logits: logits, features: features)
    }

    /// Eval-mode logits `[N, 1]` (running statistics, no dropout), on the inference path.
    public func logits(_ x: Tensor, workers: Int = Parallelism.workers) -> Tensor {
        head.forward(backbone.embedding(x, workers: workers))
    }

    /// Visits the head's and the backbone's parameters (an optimiser step), then refolds the backbone.
    public mutating func updateParameters(_ body: (inout Parameter) -> Void) throws {
        head.updateParameters(body)
        parameters.update(body)
        try refold()
    }

    /// Rebuilds the inference backbone from `parameters` and `buffers` (folding BatchNorm again).
    public mutating func refold() throws {
        backbone = try Network(stateDict: backboneStateDict())
    }

    /// Backbone parameters and running statistics in module order (PyTorch names).
    public func backboneStateDict() -> StateDict {
        var dict = StateDict(source: buffers.source)
        for (name, _) in Network.parameterShapes(classes: nil) {
            dict[name] = buffers[name] ?? parameters[name].map { StoredTensor($0.value) }
        }
        return dict
    }

    /// Backbone plus head, the layout of a CoverLens model file.
    public func stateDict() -> StateDict {
        var dict = backboneStateDict()
        for p in head.parameters { dict[p.name] = StoredTensor(p.value) }
        return dict
    }

    private mutating func updateRunningStatistics(_ batchNorm: String, _ s: BatchStatistics) {
        guard var mean = buffers["\(batchNorm).running_mean"]?.floatTensor,
              var variance = buffers["\(batchNorm).running_var"]?.floatTensor else { return }
        s.updateRunning(mean: &mean, variance: &variance, momentum: Network.batchNormMomentum)
        buffers["\(batchNorm).running_mean"] = StoredTensor(mean)
        buffers["\(batchNorm).running_var"] = StoredTensor(variance)
    }
}
