import Support
import Tensors

/// The element-wise nonlinearities the backbones use. Each is a clamp, which is why they fuse into
/// the convolution kernels' output loop for free.
public enum Activation: Equatable, Sendable {
    case identity
    /// max(x, 0): ResNet.
    case relu
    /// min(max(x, 0), 6): EfficientNet-Lite (the TF "lite" variants replace swish with ReLU6 for quantisation).
    case relu6

    public var clampRange: ClampRange {
        switch self {
        case .identity: .none
        case .relu: ClampRange(lower: 0, upper: .infinity)
        case .relu6: ClampRange(lower: 0, upper: 6)
        }
    }

    /// Applies the activation on its own (for un-fused use and tests).
    public func forward(_ x: Tensor) -> Tensor {
        let r = clampRange
        return Tensor(shape: x.shape, storage: x.storage.map { min(max($0, r.lower), r.upper) })
    }
}

// MARK: - Backward

extension Activation {
    /// dL/dx from dL/dy and the forward's *output* y: the gradient passes where the clamp did not bite
    /// (`lower < y < upper`), PyTorch's rule for ReLU (`y > 0`) and ReLU6/hardtanh (`0 < x < 6`).
    public func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
        precondition(dy.shape == y.shape, "activation backward: dy \(dy.shape), y \(y.shape)")
        let r = clampRange
        var dx = dy
        for i in 0..<dx.count where !(y.storage[i] > r.lower && y.storage[i] < r.upper) { dx.storage[i] = 0 }
        return dx
    }
}

extension Tensor {
    /// Element-wise `self += other` (gradient accumulation, residual branches), in contiguous pieces
    /// over `compute.workers` (every piece the same adds as on one thread, so the same bits). ResNet18's
    /// backward adds its residual gradients, 30 M values a batch-32 step; on one thread the other
    /// core waited through them.
    public mutating func add(_ other: Tensor, compute: ComputeContext = ComputeContext(workers: 1)) {
        precondition(count == other.count, "adding \(other.shape) to \(shape)")
        let total = count
        let pieces = total >= 1 << 16 ? min(compute.workers, total >> 15) : 1
        storage.withUnsafeMutableBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                let (ap, bp) = (a.baseAddress!, b.baseAddress!)
                parallelFor(pieces, workers: pieces) { piece in
                    for i in (piece * total / pieces)..<((piece + 1) * total / pieces) { ap[i] += bp[i] }
                }
            }
        }
    }
}
