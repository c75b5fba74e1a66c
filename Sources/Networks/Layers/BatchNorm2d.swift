import Support
import Tensors

/// Batch normalisation over the channels of an NCHW batch, in inference (running-statistics) mode:
/// `y = (x − mean) / √(var + eps) · weight + bias`.
///
/// At inference this is a per-channel affine map, which `ConvBNActivation` folds into the preceding
/// convolution's weights. The original parameters stay here: training (batch statistics, running
/// averages, gradients for weight and bias) needs them, and checkpoints write them back unchanged.
public struct BatchNorm2d: Module, Sendable {
    public var weight: Parameter      // [C], γ
    public var bias: Parameter        // [C], β
    public var runningMean: Buffer    // [C]
    public var runningVar: Buffer     // [C]
    /// PyTorch's default is 1e-5; EfficientNet-Lite's TF weights need 1e-3.
    public let eps: Double
    public let momentum: Double

    /// `path` names the tensors (`path.weight`, `path.running_mean`, …) in the model the layer belongs to.
    public init(weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                eps: Double = 1e-5, momentum: Double = 0.1, path: ModulePath = .root) {
        let c = weight.count
        precondition([bias.count, runningMean.count, runningVar.count].allSatisfy { $0 == c },
                     "batch norm parameters of different lengths")
        self.weight = Parameter(name: path.key("weight"), value: weight)
        self.bias = Parameter(name: path.key("bias"), value: bias)
        self.runningMean = Buffer(name: path.key("running_mean"), value: runningMean)
        self.runningVar = Buffer(name: path.key("running_var"), value: runningVar)
        self.eps = eps
        self.momentum = momentum
    }

    /// PyTorch's fresh `nn.BatchNorm2d(channels)`: γ 1, β 0, running mean 0, running variance 1.
    init(channels: Int, eps: Double, momentum: Double, path: ModulePath) {
        self.init(weight: Tensor(shape: [channels], repeating: 1), bias: Tensor(shape: [channels]),
                  runningMean: Tensor(shape: [channels]), runningVar: Tensor(shape: [channels], repeating: 1),
                  eps: eps, momentum: momentum, path: path)
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        parameters(&weight)
        parameters(&bias)
        buffers(&runningMean)
        buffers(&runningVar)
    }

    public var channels: Int { weight.count }

    /// Per-channel `scale = γ / √(var + eps)` and `shift = β − mean · scale`, in Double so folding
    /// them into convolution weights adds only the final rounding to Float.
    public var inferenceAffine: (scale: [Double], shift: [Double]) {
        var scale = [Double](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            scale[c] = Double(weight.value.storage[c]) / (Double(runningVar.value.storage[c]) + eps).squareRoot()
            shift[c] = Double(bias.value.storage[c]) - Double(runningMean.value.storage[c]) * scale[c]
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

// MARK: - Training

/// The per-channel statistics one BatchNorm forward normalised with: the batch's own (training)
/// or the running estimates (frozen / eval). The backward needs `mean` and `invStd`; the running
/// update needs the batch's centred sum of squares and how many values it came from.
///
/// Every value is rounded the way PyTorch's float32 CPU kernels round it (see `batchStatistics`):
/// training-mode BatchNorm on small batches is ill-conditioned near ReLU kinks, and a last-bit
/// difference in a mean or scale there moves which activations pass, and with them whole gradients.
public struct BatchStatistics: Sendable {
    public var mean: [Float]            // [C]
    public var invStd: [Float]          // [C], 1/√(var + eps)
    /// Σ (x − mean)² over the batch, [C]; nil for running statistics.
    public var sumOfSquares: [Float]?
    /// Values per channel (N·H·W) behind the batch statistics.
    public var count: Int
    public var isBatch: Bool { sumOfSquares != nil }

    /// Biased (population) variance of the batch, [C]; nil for running statistics.
    public var batchVariance: [Float]? { sumOfSquares?.map { $0 / Float(count) } }

    /// PyTorch's running update (see `BatchNorm2d.updateRunningStatistics`); nothing for running statistics.
    /// In float32 as PyTorch rounds it: `mean ← m·batchMean + (1 − m)·mean` and
    /// `var ← fma(m, squares/(M − 1), (1 − m)·var)`.
    public func updateRunning(mean runningMean: inout Tensor, variance runningVar: inout Tensor, momentum: Double) {
        guard let squares = sumOfSquares else { return }
        let (m, keep) = (Float(momentum), Float(1 - momentum))
        let unbiasedCount = Float(count > 1 ? count - 1 : 1)
        for c in 0..<mean.count {
            runningMean.storage[c] = m * mean[c] + keep * runningMean.storage[c]
            runningVar.storage[c] = (keep * runningVar.storage[c]).addingProduct(m, squares[c] / unbiasedCount)
        }
    }
}

extension BatchNorm2d {
    /// The batch's statistics of z `[N, C, H, W]`. PyTorch's training mode normalises with the
    /// biased variance, rounded as its kernel does: mean and Σ(x − mean)² in float32 (accumulated in
    /// Double), `var = squares / M` in float32, `invStd = 1/√(var + eps)` in Double, then float32.
    public func batchStatistics(_ z: Tensor, compute: ComputeContext) -> BatchStatistics {
        precondition(z.rank == 4 && z.shape[1] == channels, "batch norm input \(z.shape) for \(channels) channels")
        let (mean, squares) = Tensor.channelStatistics(z, compute: compute)
        let count = z.shape[0] * z.shape[2] * z.shape[3]
        let invStd = squares.map { Float(1 / (Double($0 / Float(count)) + eps).squareRoot()) }
        return BatchStatistics(mean: mean, invStd: invStd, sumOfSquares: squares, count: count)
    }

    /// The running estimates as statistics (eval mode, or BatchNorm frozen while fine-tuning);
    /// `1/√(var + eps)` in float32, as PyTorch's eval-mode forward computes it.
    public var runningStatistics: BatchStatistics {
        let e = Float(eps)
        return BatchStatistics(mean: runningMean.value.storage, invStd: runningVar.value.storage.map { 1 / ($0 + e).squareRoot() },
                               sumOfSquares: nil, count: 0)
    }

    /// PyTorch's update after a training-mode forward:
    /// `running = (1 − momentum)·running + momentum·batch`, with the *unbiased* variance
    /// `var·M/(M − 1)` for the running estimate (the normalisation itself used the biased one).
    public mutating func updateRunningStatistics(_ s: BatchStatistics) {
        s.updateRunning(mean: &runningMean.value, variance: &runningVar.value, momentum: momentum)
    }

    /// `activation(γ·(z − mean)·invStd + β + residual)` with the given statistics. z: `[N, C, H, W]`.
    public func forward(_ z: Tensor, statistics s: BatchStatistics, residual: Tensor? = nil,
                        activation: Activation = .identity, compute: ComputeContext) -> Tensor {
        let (scale, shift) = affine(s)
        return Tensor.channelAffine(z, scale: scale, shift: shift, residual: residual,
                                    clamp: activation.clampRange, compute: compute)
    }

    /// `γ·(z − mean)·invStd + β` as `z·scale + shift`: `scale = γ·invStd`, `shift = β − mean·scale`.
    func affine(_ s: BatchStatistics) -> (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            scale[c] = weight.value.storage[c] * s.invStd[c]
            shift[c] = bias.value.storage[c].addingProduct(-s.mean[c], scale[c])   // one rounding, as PyTorch's fma
        }
        return (scale, shift)
    }

    /// Backward of `forward(_:statistics:residual:activation:)` from dL/dy and the forward's output y
    /// and input z (`residualAdded`: whether the forward had a residual). Adds dL/dγ and dL/dβ into
    /// the parameters' gradients; returns dL/dz and, when `residualGradient`, dL/dresidual (the
    /// gradient after the activation's mask). Batch statistics depend on z, which adds the two mean
    /// terms of the training-mode formula. Call it before the parameters change: without a residual,
    /// where the activation passed is recomputed from z, γ and β rather than read from y.
    public mutating func backward(_ dy: Tensor, output y: Tensor, input z: Tensor, statistics s: BatchStatistics,
                                  activation: Activation = .identity, residualAdded: Bool, residualGradient: Bool = false,
                                  compute: ComputeContext) -> (input: Tensor, residual: Tensor?) {
        let clamp = activation.clampRange
        let gate: ClampGate
        if clamp == .none {
            gate = .open
        } else if residualAdded {
            gate = .output(y, clamp: clamp)
        } else {
            let (scale, shift) = affine(s)
            gate = .affine(scale: scale, shift: shift, clamp: clamp)
        }
        let r = Tensor.batchNormBackward(dy, gate: gate, input: z, mean: s.mean,
                                         invStd: s.invStd, gamma: weight.value.storage, batchStatistics: s.isBatch,
                                         maskedGradient: residualGradient, compute: compute)
        for c in 0..<channels {
            weight.gradient.storage[c] += Float(r.gamma[c])
            bias.gradient.storage[c] += Float(r.beta[c])
        }
        return (r.input, r.masked)
    }
}
