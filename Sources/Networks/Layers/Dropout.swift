import Support
import Tensors

/// Dropout: zeroes a fraction `rate` of values while training and scales the survivors by
/// 1/(1−rate), so the expected activation is the same as at inference, where it is the identity.
///
/// The mask comes from a `SeededGenerator`, so the same seed drops the same units (PyTorch's draws
/// cannot be reproduced bit for bit anyway; only the distribution matters).
public struct Dropout: Sendable {
    public let rate: Float

    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate \(rate) outside [0, 1)")
        self.rate = rate
    }

    /// Inference: the input unchanged.
    public func forward(_ x: Tensor) -> Tensor { x }

    /// Training: `y = x · mask`, mask ∈ {0, 1/(1−rate)} per element, one uniform draw per element in
    /// storage order. Returns y and the mask (the backward's cache). Any shape.
    public func forward(_ x: Tensor, generator: inout SeededGenerator) -> (output: Tensor, mask: Tensor) {
        let keep = 1 / (1 - rate)
        var mask = Tensor(shape: x.shape)
        var y = x
        for i in 0..<x.count {
            mask.storage[i] = generator.uniformDouble() < Double(rate) ? 0 : keep
            y.storage[i] *= mask.storage[i]
        }
        return (y, mask)
    }

    /// dL/dx = dL/dy · mask.
    public func backward(_ dy: Tensor, mask: Tensor) -> Tensor {
        precondition(dy.shape == mask.shape, "dropout backward: dy \(dy.shape), mask \(mask.shape)")
        var dx = dy
        for i in 0..<dx.count { dx.storage[i] *= mask.storage[i] }
        return dx
    }
}
