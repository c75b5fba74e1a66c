import Tensors

/// Batch normalisation over the channels of an NCHW batch, in inference (running-statistics) mode:
/// `y = (x − mean) / √(var + eps) · weight + bias`.
///
/// At inference this is a per-channel affine map, which `ConvBNActivation` folds into the preceding
/// convolution's weights. The original parameters stay here: training (batch statistics, running
/// averages, gradients for weight and bias) needs them, and checkpoints write them back unchanged.
public struct BatchNorm2d: Sendable {
    public var weight: Tensor        // [C], γ
    public var bias: Tensor          // [C], β
    public var runningMean: Tensor   // [C]
    public var runningVar: Tensor    // [C]
    /// PyTorch's default is 1e-5; EfficientNet-Lite's TF weights need 1e-3.
    public let eps: Double
    public let momentum: Double

    public init(weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                eps: Double = 1e-5, momentum: Double = 0.1) {
        let c = weight.count
        precondition([bias.count, runningMean.count, runningVar.count].allSatisfy { $0 == c },
                     "batch norm parameters of different lengths")
        self.weight = weight
        self.bias = bias
        self.runningMean = runningMean
        self.runningVar = runningVar
        self.eps = eps
        self.momentum = momentum
    }

    public var channels: Int { weight.count }

    /// Per-channel `scale = γ / √(var + eps)` and `shift = β − mean · scale`, in Double so folding
    /// them into convolution weights adds only the final rounding to Float.
    public var inferenceAffine: (scale: [Double], shift: [Double]) {
        var scale = [Double](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            scale[c] = Double(weight.storage[c]) / (Double(runningVar.storage[c]) + eps).squareRoot()
            shift[c] = Double(bias.storage[c]) - Double(runningMean.storage[c]) * scale[c]
        }
        return (scale, shift)
    }

    /// The un-fused inference forward: x `[N, C, H, W]` → same shape.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels, "batch norm input \(x.shape) for \(channels) channels")
        let (scale, shift) = inferenceAffine
        let area = x.shape[2] * x.shape[3]
        var y = x
        for i in 0..<x.count {
            let c = (i / area) % channels
            y.storage[i] = Float(Double(x.storage[i]) * scale[c] + shift[c])
        }
        return y
    }
}
