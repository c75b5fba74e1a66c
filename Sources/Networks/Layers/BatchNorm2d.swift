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

// MARK: - Training

/// The per-channel statistics one BatchNorm forward normalised with: the batch's own (training)
/// or the running estimates (frozen / eval). The backward needs `mean` and `invStd`; the running
/// update needs the batch's biased variance and how many values it came from.
public struct BatchStatistics: Sendable {
    public var mean: [Float]            // [C]
    public var invStd: [Float]          // [C], 1/√(var + eps)
    /// Biased (population) variance of the batch, [C]; nil for running statistics.
    public var batchVariance: [Double]?
    public var batchMean: [Double]?
    /// Values per channel (N·H·W) behind the batch statistics.
    public var count: Int
    public var isBatch: Bool { batchVariance != nil }

    /// PyTorch's running update (see `BatchNorm2d.updateRunningStatistics`); nothing for running statistics.
    public func updateRunning(mean runningMean: inout Tensor, variance runningVar: inout Tensor, momentum: Double) {
        guard let variance = batchVariance, let mean = batchMean else { return }
        let unbias = count > 1 ? Double(count) / Double(count - 1) : 1
        for c in 0..<mean.count {
            runningMean.storage[c] = Float((1 - momentum) * Double(runningMean.storage[c]) + momentum * mean[c])
            runningVar.storage[c] = Float((1 - momentum) * Double(runningVar.storage[c]) + momentum * variance[c] * unbias)
        }
    }
}

extension BatchNorm2d {
    /// The batch's statistics of z `[N, C, H, W]` (PyTorch's training mode normalises with the
    /// biased variance).
    public func batchStatistics(_ z: Tensor, workers: Int = Parallelism.workers) -> BatchStatistics {
        precondition(z.rank == 4 && z.shape[1] == channels, "batch norm input \(z.shape) for \(channels) channels")
        let (mean, variance) = Tensor.channelStatistics(z, workers: workers)
        return BatchStatistics(mean: mean.map { Float($0) }, invStd: variance.map { Float(1 / ($0 + eps).squareRoot()) },
                               batchVariance: variance, batchMean: mean, count: z.shape[0] * z.shape[2] * z.shape[3])
    }

    /// The running estimates as statistics (eval mode, or BatchNorm frozen while fine-tuning).
    public var runningStatistics: BatchStatistics {
        BatchStatistics(mean: runningMean.storage,
                        invStd: runningVar.storage.map { Float(1 / (Double($0) + eps).squareRoot()) },
                        batchVariance: nil, batchMean: nil, count: 0)
    }

    /// PyTorch's update after a training-mode forward:
    /// `running = (1 − momentum)·running + momentum·batch`, with the *unbiased* variance
    /// `var·M/(M − 1)` for the running estimate (the normalisation itself used the biased one).
    public mutating func updateRunningStatistics(_ s: BatchStatistics) {
        s.updateRunning(mean: &runningMean, variance: &runningVar, momentum: momentum)
    }

    /// `activation(γ·(z − mean)·invStd + β + residual)` with the given statistics. z: `[N, C, H, W]`.
    public func forward(_ z: Tensor, statistics s: BatchStatistics, residual: Tensor? = nil,
                        activation: Activation = .identity, workers: Int = Parallelism.workers) -> Tensor {
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            scale[c] = weight.storage[c] * s.invStd[c]
            shift[c] = bias.storage[c] - s.mean[c] * scale[c]
        }
        return Tensor.channelAffine(z, scale: scale, shift: shift, residual: residual,
                                    clamp: activation.clampRange, workers: workers)
    }

    /// Backward of `forward(_:statistics:residual:activation:)` from dL/dy and the forward's output y
    /// and input z. Adds dL/dγ and dL/dβ into the given gradients; returns dL/dz and, when
    /// `residualGradient`, dL/dresidual (the gradient after the activation's mask).
    /// Batch statistics depend on z, which adds the two mean terms of the training-mode formula.
    public func backward(_ dy: Tensor, output y: Tensor, input z: Tensor, statistics s: BatchStatistics,
                         activation: Activation = .identity, weightGradient: inout Tensor, biasGradient: inout Tensor,
                         residualGradient: Bool = false, workers: Int = Parallelism.workers) -> (input: Tensor, residual: Tensor?) {
        let r = Tensor.batchNormBackward(dy, output: y, clamp: activation.clampRange, input: z, mean: s.mean,
                                         invStd: s.invStd, gamma: weight.storage, batchStatistics: s.isBatch,
                                         maskedGradient: residualGradient, workers: workers)
        for c in 0..<channels {
            weightGradient.storage[c] += Float(r.gamma[c])
            biasGradient.storage[c] += Float(r.beta[c])
        }
        return (r.input, r.masked)
    }
}
