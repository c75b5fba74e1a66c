import Support
import Testing
import Tensors
@testable import Networks

@Suite struct LinearTests {
    private func example() -> (Linear, Tensor) {
        var generator = SeededGenerator(seed: 7)
        let head = Linear(inFeatures: 5, outFeatures: 3, path: ModulePath("fc"), generator: &generator)
        let x = Tensor(shape: [4, 5], storage: (0..<20).map { _ in generator.uniformFloat(-1, 1) })
        return (head, x)
    }

    /// L = Σ c ⊙ y for fixed random c, so dL/dy = c and every gradient has a closed-form check.
    @Test func backwardMatchesCentralDifferences() {
        var (head, x) = example()
        var generator = SeededGenerator(seed: 8)
        let c = Tensor(shape: [4, 3], storage: (0..<12).map { _ in generator.uniformFloat(-1, 1) })
        func loss(_ h: Linear, _ input: Tensor) -> Double {
            zip(h.forward(input).storage, c.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let dx = head.backward(c, input: x)
        let h: Float = 1e-2   // L is linear in each variable, so a large step is exact up to rounding
        for i in 0..<x.count {
            var plus = x, minus = x
            plus.storage[i] += h; minus.storage[i] -= h
            let numeric = (loss(head, plus) - loss(head, minus)) / Double(2 * h)
            #expect(abs(Double(dx.storage[i]) - numeric) < 1e-3, "dx[\(i)] \(dx.storage[i]) vs \(numeric)")
        }
        for i in 0..<head.weight.count {
            var plus = head, minus = head
            plus.weight.value.storage[i] += h; minus.weight.value.storage[i] -= h
            let numeric = (loss(plus, x) - loss(minus, x)) / Double(2 * h)
            #expect(abs(Double(head.weight.gradient.storage[i]) - numeric) < 1e-3, "dW[\(i)]")
        }
        for j in 0..<3 {
            let expected = (0..<4).reduce(Float(0)) { $0 + c[$1, j] }
            #expect(abs(head.bias.gradient.storage[j] - expected) < 1e-5, "db[\(j)]")
        }
    }

    @Test func gradientsAccumulateUntilZeroed() {
        var (head, x) = example()
        let dy = Tensor(shape: [4, 3], repeating: 1)
        head.backward(dy, input: x)
        let once = head.weight.gradient.storage
        head.backward(dy, input: x)
        #expect(zip(head.weight.gradient.storage, once).allSatisfy { abs($0 - 2 * $1) < 1e-5 })
        head.zeroGradients()
        #expect(head.weight.gradient.storage.allSatisfy { $0 == 0 } && head.bias.gradient.storage.allSatisfy { $0 == 0 })
    }

    @Test func defaultInitialisationStaysWithinPyTorchBound() {
        let (head, _) = example()
        let bound = Float(1 / 5.0.squareRoot())
        #expect(head.weight.value.storage.allSatisfy { abs($0) <= bound })
        #expect(head.weight.name == "fc.weight" && head.bias.name == "fc.bias")
    }
}
