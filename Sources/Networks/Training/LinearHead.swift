import Foundation
import Tensors

/// The classification head trained on cached embeddings: y = x·Wᵀ + b.
///
/// x: [N, in] → y: [N, out], W: [out, in] (PyTorch's `nn.Linear` layout), b: [out].
/// Forward and backward are two matrix products each, so a minibatch of 5,000 × 1,280 embeddings
/// costs a few BLAS calls. Kept deliberately small: the engine's `Linear` layer may replace it.
public struct LinearHead: Sendable {
    public var weight: Parameter   // [out, in]
    public var bias: Parameter     // [out]

    public var inputs: Int { weight.value.shape[1] }
    public var outputs: Int { weight.value.shape[0] }

    /// A head over existing values. weight: [out, in], bias: [out].
    public init(weight: Tensor, bias: Tensor, prefix: String = "fc") {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]],
                     "LinearHead: weight \(weight.shape) and bias \(bias.shape) do not fit")
        self.weight = Parameter(name: Self.name(prefix, "weight"), value: weight)
        self.bias = Parameter(name: Self.name(prefix, "bias"), value: bias)
    }

    /// PyTorch's default `nn.Linear` initialisation: W and b uniform in ±1/√in
    /// (kaiming_uniform with a = √5 reduces to exactly this bound), drawn from `generator`.
    public init(inputs: Int, outputs: Int, prefix: String = "fc", generator: inout SeededGenerator) {
        let bound = Float(1 / Double(inputs).squareRoot())
        let w = (0..<(inputs * outputs)).map { _ in generator.uniformFloat(-bound, bound) }
        let b = (0..<outputs).map { _ in generator.uniformFloat(-bound, bound) }
        self.init(weight: Tensor(shape: [outputs, inputs], storage: w), bias: Tensor(shape: [outputs], storage: b),
                  prefix: prefix)
    }

    /// y = x·Wᵀ + b. x: [N, in] → [N, out].
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inputs, "LinearHead: input \(x.shape), expected [N, \(inputs)]")
        var y = Tensor.matmul(x, weight.value, transposeB: true)    // [N, out]
        let n = x.shape[0], out = outputs
        for row in 0..<n {
            for j in 0..<out { y.storage[row * out + j] += bias.value.storage[j] }
        }
        return y
    }

    /// Accumulates dL/dW = dyᵀ·x and dL/db = Σₙ dy into the gradients; returns dL/dx = dy·W.
    /// dy: [N, out], x: [N, in] (the forward's input) → dx: [N, in].
    @discardableResult
    public mutating func backward(_ dy: Tensor, input x: Tensor, wantInputGradient: Bool = true) -> Tensor {
        precondition(dy.rank == 2 && dy.shape[1] == outputs && x.shape == [dy.shape[0], inputs],
                     "LinearHead.backward: dy \(dy.shape) and x \(x.shape) do not fit [N, \(outputs)] / [N, \(inputs)]")
        let dW = Tensor.matmul(dy, x, transposeA: true)             // [out, in]
        for i in 0..<dW.count { weight.gradient.storage[i] += dW.storage[i] }
        let n = dy.shape[0], out = outputs
        for j in 0..<out {
            var sum: Float = 0
            for row in 0..<n { sum += dy.storage[row * out + j] }
            bias.gradient.storage[j] += sum
        }
        return wantInputGradient ? Tensor.matmul(dy, weight.value) : Tensor(shape: [0])   // [N, in]
    }

    /// Both parameters, weight first (PyTorch's `named_parameters()` order).
    public var parameters: [Parameter] { [weight, bias] }

    /// Visits the parameters in place (an optimiser step without copying them).
    public mutating func updateParameters(_ body: (inout Parameter) -> Void) {
        body(&weight)
        body(&bias)
    }

    public mutating func zeroGradients() {
        weight.zeroGradient()
        bias.zeroGradient()
    }

    private static func name(_ prefix: String, _ leaf: String) -> String {
        prefix.isEmpty ? leaf : "\(prefix).\(leaf)"
    }
}
