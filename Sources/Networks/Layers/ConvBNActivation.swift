import Tensors

/// Convolution → BatchNorm (inference) → activation, run as one fused kernel call.
///
/// BatchNorm at inference is `y = scale·x + shift` per output channel, so it folds exactly into the
/// convolution: `W' = scale·W`, `b' = scale·b + shift`. The kernel then adds `b'` (and an optional
/// residual) and clamps (ReLU/ReLU6) while the output tile is still in cache. `conv` and `bn` keep
/// the unfolded parameters for training and checkpoint writing.
public struct ConvBNActivation: Sendable {
    public let conv: Conv2d
    public let bn: BatchNorm2d
    public let activation: Activation
    /// `[Cout, Cin·k·k]` (dense) or `[C, k·k]` (depthwise).
    let foldedWeight: Tensor
    let foldedBias: [Float]

    public init(conv: Conv2d, bn: BatchNorm2d, activation: Activation) {
        precondition(bn.channels == conv.outChannels, "batch norm of \(bn.channels) after \(conv.outChannels) channels")
        self.conv = conv
        self.bn = bn
        self.activation = activation
        let (scale, shift) = bn.inferenceAffine
        let perChannel = conv.weight.count / conv.outChannels
        var w = conv.weightMatrix(conv.weight)
        var b = [Float](repeating: 0, count: conv.outChannels)
        for o in 0..<conv.outChannels {
            for i in 0..<perChannel {
                w.storage[o * perChannel + i] = Float(Double(w.storage[o * perChannel + i]) * scale[o])
            }
            let convBias = conv.bias.map { Double($0.storage[o]) } ?? 0
            b[o] = Float(convBias * scale[o] + shift[o])
        }
        foldedWeight = w
        foldedBias = b
    }

    /// `activation(bn(conv(x)) + residual)`. x: `[N, Cin, H, W]`; residual: `nil` or the output's shape.
    public func forward(_ x: Tensor, residual: Tensor? = nil, workers: Int = Parallelism.workers) -> Tensor {
        conv.forward(x, matrix: foldedWeight, bias: foldedBias, residual: residual, activation: activation,
                     workers: workers)
    }
}
