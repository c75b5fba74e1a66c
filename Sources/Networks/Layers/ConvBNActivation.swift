import Support
import Tensors

/// Convolution → BatchNorm (inference) → activation, run as one fused kernel call.
///
/// BatchNorm at inference is `y = scale·x + shift` per output channel, so it folds exactly into the
/// convolution: `W' = scale·W`, `b' = scale·b + shift`. The kernel then adds `b'` (and an optional
/// residual) and clamps (ReLU/ReLU6) while the output tile is still in cache. `conv` and `bn` keep
/// the unfolded parameters for training and checkpoint writing.
public struct ConvBNActivation: Module, Sendable {
    /// Change these only through `visit` (or `Module`'s walks built on it), then `refold()`: the
    /// inference path runs the folded copy.
    public internal(set) var conv: Conv2d
    public internal(set) var bn: BatchNorm2d
    public let activation: Activation
    /// `[Cout, Cin·k·k]` (dense) or `[C, k·k]` (depthwise).
    private(set) var foldedWeight: Tensor
    private(set) var foldedBias: [Float]
    /// `foldedWeight` in Winograd form `[16, Cout, Cin]` for dense 3×3 stride-1 convolutions, else nil.
    private(set) var winogradWeight: Tensor?

    public init(conv: Conv2d, bn: BatchNorm2d, activation: Activation) {
        self.init(unfolded: conv, bn: bn, activation: activation)
        refold()
    }

    /// A layer whose parameters are still to be loaded: it runs only after `refold()`.
    init(unfolded conv: Conv2d, bn: BatchNorm2d, activation: Activation) {
        precondition(bn.channels == conv.outChannels, "batch norm of \(bn.channels) after \(conv.outChannels) channels")
        self.conv = conv
        self.bn = bn
        self.activation = activation
        foldedWeight = Tensor(shape: [0])
        foldedBias = []
        winogradWeight = nil
    }

    /// A zero convolution (no bias) and a fresh BatchNorm at `conv` and `bn` in a model tree, to be
    /// loaded and then refolded. `inPerGroup`: input channels per group (1 for depthwise).
    init(conv: ModulePath, bn: ModulePath, outChannels: Int, inPerGroup: Int, kernel: Int, stride: Int,
         padding: Padding, groups: Int = 1, eps: Double, momentum: Double, activation: Activation) {
        self.init(unfolded: Conv2d(weight: Tensor(shape: [outChannels, inPerGroup, kernel, kernel]), stride: stride,
                                   padding: padding, groups: groups, path: conv),
                  bn: BatchNorm2d(channels: outChannels, eps: eps, momentum: momentum, path: bn),
                  activation: activation)
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        conv.visit(parameters: parameters, buffers: buffers)
        bn.visit(parameters: parameters, buffers: buffers)
    }

    /// Folds the current BatchNorm (running statistics) into the convolution for the inference path;
    /// after loading, and after an optimiser step or a training forward changed this layer.
    public mutating func refold() {
        let (scale, shift) = bn.inferenceAffine
        let perChannel = conv.weight.count / conv.outChannels
        var w = conv.weightMatrix(conv.weight.value)
        var b = [Float](repeating: 0, count: conv.outChannels)
        // By output channel over the cores: training refolds after every step (ResNet18: 11 M weights).
        w.storage.withUnsafeMutableBufferPointer { wb in
            let weights = wb.baseAddress!
            parallelFor(conv.outChannels, workers: Parallelism.available) { o in
                for i in o * perChannel ..< (o + 1) * perChannel { weights[i] = Float(Double(weights[i]) * scale[o]) }
            }
        }
        for o in 0..<conv.outChannels {
            let convBias = conv.bias.map { Double($0.value.storage[o]) } ?? 0
            b[o] = Float(convBias * scale[o] + shift[o])
        }
        foldedWeight = w
        foldedBias = b
        winogradWeight = conv.suitsWinograd
            ? Tensor.winogradWeights(w, outputTile: conv.winogradTile)
            : nil
    }

    /// Marks every parameter of the layer as learning or frozen.
    mutating func setTrainable(_ trainable: Bool) {
        updateParameters { $0.isTrainable = trainable }
    }

    /// `activation(bn(conv(x)) + residual)`. x: `[N, Cin, H, W]`; residual: `nil` or the output's shape.
    public func forward(_ x: Tensor, residual: Tensor? = nil, compute: ComputeContext) -> Tensor {
        precondition(foldedWeight.count == conv.weight.count, "ConvBNActivation \(conv.weight.name) runs before refold()")
        return conv.forward(x, matrix: foldedWeight, bias: foldedBias, residual: residual, activation: activation,
                     compute: compute, winograd: winogradWeight)
    }
}

// MARK: - Training

/// What `ConvBNActivation.backward` needs from its training forward.
public struct ConvBNCache: Sendable {
    public var input: Tensor              // x [N, Cin, H, W]
    public var convOutput: Tensor         // z = conv(x) [N, Cout, Ho, Wo], before BatchNorm
    public var output: Tensor             // y, after BN (+ residual) and the activation
    public var residualAdded: Bool
    public var statistics: BatchStatistics
    /// The convolution's transformed weights (Winograd only), for its input gradient.
    public var winogradWeights: Tensor?
}

extension ConvBNActivation {
    /// Training forward on the *unfolded* parameters: z = conv(x), then BatchNorm with the batch's
    /// statistics (`batchStatistics`, PyTorch's train mode, which also moves the running statistics
    /// as PyTorch's forward does) or the running ones (frozen BN), then `+ residual` and the
    /// activation. Returns y and the cache. The inference path sees the new statistics after `refold()`.
    public mutating func trainingForward(_ x: Tensor, residual: Tensor? = nil, batchStatistics: Bool,
                                         compute: ComputeContext) -> (output: Tensor, cache: ConvBNCache) {
        let (z, winograd) = conv.trainingForwardKeepingWeights(x, compute: compute)
        let s = batchStatistics ? bn.batchStatistics(z, compute: compute) : bn.runningStatistics
        let y = bn.forward(z, statistics: s, residual: residual, activation: activation, compute: compute)
        bn.updateRunningStatistics(s)
        return (y, ConvBNCache(input: x, convOutput: z, output: y, residualAdded: residual != nil, statistics: s,
                                winogradWeights: winograd))
    }

    /// Backward through activation, BatchNorm and convolution. Adds the gradients of the
    /// convolution's weight and BatchNorm's γ and β into theirs; returns dL/dx (nil unless
    /// `inputGradient`) and dL/dresidual (nil unless `residualGradient`).
    public mutating func backward(_ dy: Tensor, cache: ConvBNCache, inputGradient: Bool = true, residualGradient: Bool = false,
                                  compute: ComputeContext) -> (input: Tensor?, residual: Tensor?) {
        let (dz, dResidual) = bn.backward(dy, output: cache.output, input: cache.convOutput, statistics: cache.statistics,
                                          activation: activation, residualAdded: cache.residualAdded,
                                          residualGradient: residualGradient, compute: compute)
        let dx = conv.backward(dz, input: cache.input, winograd: cache.winogradWeights, inputGradient: inputGradient,
                               compute: compute)
        return (dx, dResidual)
    }
}
