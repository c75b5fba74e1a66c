import Testing
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
}
