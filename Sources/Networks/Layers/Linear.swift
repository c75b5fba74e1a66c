import Support
import Tensors

/// y = x·Wᵀ + b over a batch. x: `[N, in]` → y: `[N, out]`.
///
/// The backbones' classifier and the popularity head CoverLens trains (on cached embeddings or on
/// top of a fine-tuned backbone). Forward and backward are two matrix products each, so a
/// minibatch of 5,000 × 1,280 embeddings costs a few BLAS calls.
public struct Linear: Module, Sendable {
    public var weight: Parameter   // [out, in], PyTorch's layout
    public var bias: Parameter     // [out]

    /// A layer over existing values at `path` in its model (`fc`: tensors `fc.weight`, `fc.bias`).
    public init(weight: Tensor, bias: Tensor, path: ModulePath = .root) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]], "linear weight \(weight.shape), bias \(bias.shape)")
        self.weight = Parameter(name: path.key("weight"), value: weight)
        self.bias = Parameter(name: path.key("bias"), value: bias)
    }

    /// Zeros, for a model tree that loads its values afterwards.
    init(inFeatures: Int, outFeatures: Int, path: ModulePath) {
        self.init(weight: Tensor(shape: [outFeatures, inFeatures]), bias: Tensor(shape: [outFeatures]), path: path)
    }

    /// PyTorch's default `nn.Linear` initialisation: W and b uniform in ±1/√in
    /// (kaiming_uniform with a = √5 reduces to exactly this bound), drawn from `generator`, W first.
    public init(inFeatures: Int, outFeatures: Int, path: ModulePath, generator: inout SeededGenerator) {
        let bound = Float(1 / Double(inFeatures).squareRoot())
        let w = (0..<(inFeatures * outFeatures)).map { _ in generator.uniformFloat(-bound, bound) }
        let b = (0..<outFeatures).map { _ in generator.uniformFloat(-bound, bound) }
        self.init(weight: Tensor(shape: [outFeatures, inFeatures], storage: w), bias: Tensor(shape: [outFeatures], storage: b),
                  path: path)
    }

    public var inFeatures: Int { weight.value.shape[1] }
    public var outFeatures: Int { weight.value.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inFeatures, "linear input \(x.shape) for \(inFeatures) features")
        var y = Tensor.matmul(x, weight.value, transposeB: true)   // [N, out]
        for row in 0..<x.shape[0] {
            for j in 0..<outFeatures { y.storage[row * outFeatures + j] += bias.value.storage[j] }
        }
        return y
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        parameters(&weight)
        parameters(&bias)
    }
}

extension Linear {
    /// dy `[N, out]`, x `[N, in]` (the forward's input). Adds dL/dW = dyᵀ·x `[out, in]` and
    /// dL/db = Σₙ dy `[out]` into the parameters' gradients; returns dL/dx = dy·W `[N, in]`, or an
    /// empty tensor when `inputGradient` is false (a head trained on fixed embeddings).
    @discardableResult
    public mutating func backward(_ dy: Tensor, input x: Tensor, inputGradient: Bool = true) -> Tensor {
        precondition(dy.rank == 2 && dy.shape[1] == outFeatures && x.shape == [dy.shape[0], inFeatures],
                     "linear backward: dy \(dy.shape), x \(x.shape) for \(inFeatures) → \(outFeatures)")
        weight.accumulateGradient(Tensor.matmul(dy, x, transposeA: true))
        let n = dy.shape[0]
        for j in 0..<outFeatures {
            var sum: Float = 0
            for row in 0..<n { sum += dy.storage[row * outFeatures + j] }
            bias.gradient.storage[j] += sum
        }
        return inputGradient ? Tensor.matmul(dy, weight.value) : Tensor(shape: [0])
    }
}
