import Testing
import Foundation
import Support
import Tensors
@testable import Networks

/// Expected values are PyTorch's update rules evaluated by hand in Double
/// (two elements, gradients [0.5, −0.001] then [−0.25, 0.003], lr 0.1).
@Suite struct AdamTests {
    static let gradients: [[Float]] = [[0.5, -0.001], [-0.25, 0.003]]

    @Test func adamTwoSteps() {
        var adam = Adam(learningRate: 0.1)
        expectTrajectory(trajectory(&adam, gradients: Self.gradients), [[0.900000002, -1.90000099999], [0.8733662987078463, -1.9494197623564946]], "adam")
        #expect(adam.step(of: "w") == 2)
    }

    @Test func adamWithL2WeightDecayFoldsDecayIntoTheGradient() {
        var adam = Adam(learningRate: 0.1, weightDecay: 0.1)
        expectTrajectory(trajectory(&adam, gradients: Self.gradients), [[0.9000000016666666, -1.9000000049751242], [0.8544413674617625, -1.8002530299738444]],
                    "adam l2")
    }

    @Test func adamWDecaysWeightsBeforeTheUpdate() {
        var adamW = Adam.adamW(learningRate: 0.1, weightDecay: 0.1)
        expectTrajectory(trajectory(&adamW, gradients: Self.gradients), [[0.890000002, -1.88000099999], [0.8544662986878463, -1.9106197523565946]], "adamw")
    }

    @Test func frozenParametersAreNotUpdated() {
        var adam = Adam(learningRate: 0.1)
        var p = Parameter(name: "frozen", value: Tensor(shape: [1], storage: [3]), isTrainable: false)
        p.gradient.storage[0] = 1
        adam.update(&p)
        #expect(p.value.storage == [3])
        #expect(adam.step(of: "frozen") == 0)
    }

    @Test func zeroGradientGivesZeroFirstStep() {
        var adam = Adam(learningRate: 1e-3)
        var p = Parameter(name: "w", value: Tensor(shape: [2], storage: [0.25, -0.5]))
        adam.update(&p)
        #expect(p.value.storage == [0.25, -0.5], "\(p.value.storage)")
    }

    /// The vectorised, parallel kernel against PyTorch's formula written out one element at a time
    /// (the loop it replaced): the same bits, on a length with a tail after the last vector, for
    /// Adam, Adam with L2 and AdamW, over three steps and on one or two workers.
    @Test(arguments: [(0.0, false), (0.01, false), (0.01, true)], [1, 2])
    func vectorisedUpdateKeepsTheBitsOfTheScalarFormula(decay: (Double, Bool), workers: Int) {
        let n = 3 << 16 + 13   // several of AdamKernel's 65,536-element shares and a tail
        var generator = SeededGenerator(seed: 11)
        let start = (0..<n).map { _ in generator.uniformFloat(-1, 1) }
        var adam = Adam(learningRate: 3e-3, weightDecay: decay.0, decoupledWeightDecay: decay.1)
        var p = Parameter(name: "w", value: Tensor(shape: [n], storage: start))
        var (expected, m, v) = (start, [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
        for step in 1...3 {
            let g = (0..<n).map { _ in generator.uniformFloat(-0.1, 0.1) * Float(step) }
            p.gradient = Tensor(shape: [n], storage: g)
            adam.update(&p, compute: ComputeContext(workers: workers))
            let t = Double(step)
            let stepSize = Float(-(3e-3 / (1 - pow(0.9, t)))), root = Float(pow(1 - pow(0.999, t), 0.5))
            let l2: Float = decay.1 ? 0 : Float(decay.0), keep = Float(1 - 3e-3 * decay.0)
            for i in 0..<n {
                if decay.1 { expected[i] *= keep }
                var gi = g[i]
                if l2 != 0 { gi = gi.addingProduct(l2, expected[i]) }
                m[i] = m[i].addingProduct(Float(1 - 0.9), gi - m[i])
                v[i] = v[i] * Float(0.999) + Float(1 - 0.999) * gi * gi
                expected[i] = expected[i] + stepSize * m[i] / (v[i].squareRoot() / root + Float(1e-8))
            }
        }
        let differing = (0..<n).filter { p.value.storage[$0].bitPattern != expected[$0].bitPattern }
        #expect(differing.isEmpty, "\(differing.count) of \(n) differ, first at \(differing.first ?? -1)")
    }
}
