import Tensors

/// y = x·Wᵀ + b over a batch. x: `[N, in]` → y: `[N, out]`.
public struct Linear: Sendable {
    public var weight: Tensor   // [out, in], PyTorch's layout
    public var bias: Tensor     // [out]

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]], "linear weight \(weight.shape), bias \(bias.shape)")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inFeatures, "linear input \(x.shape) for \(inFeatures) features")
        var y = Tensor.matmul(x, weight, transposeB: true)
        for row in 0..<x.shape[0] {
            for j in 0..<outFeatures { y.storage[row * outFeatures + j] += bias.storage[j] }
        }
        return y
    }
}

extension Linear {
    /// dy `[N, out]`, x `[N, in]` (the forward's input). Adds dL/dW = dyᵀ·x `[out, in]` and
    /// dL/db = Σₙ dy `[out]` into the given gradients; returns dL/dx = dy·W `[N, in]`.
    public func backward(_ dy: Tensor, input x: Tensor, weightGradient: inout Tensor, biasGradient: inout Tensor) -> Tensor {
        precondition(dy.rank == 2 && dy.shape[1] == outFeatures && x.shape == [dy.shape[0], inFeatures],
                     "linear backward: dy \(dy.shape), x \(x.shape) for \(inFeatures) → \(outFeatures)")
        weightGradient.add(Tensor.matmul(dy, x, transposeA: true))
        for row in 0..<dy.shape[0] {
            for j in 0..<outFeatures { biasGradient.storage[j] += dy.storage[row * outFeatures + j] }
        }
        return Tensor.matmul(dy, weight)
    }
}
