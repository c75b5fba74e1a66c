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
