import Testing
@testable import Networks

/// Expected values: PyTorch's SGD rules evaluated by hand in Double (gradients [0.5, −1] then
/// [−0.25, 2], lr 0.1, momentum 0.9). The first step copies the gradient into the buffer.
@Suite struct SGDTests {
    static let gradients: [[Float]] = [[0.5, -1], [-0.25, 2]]

    @Test func momentum() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        expectTrajectory(trajectory(&sgd, gradients: Self.gradients), [[0.95, -1.9], [0.93, -2.01]], "momentum")
    }

    @Test func dampeningAndWeightDecay() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.01)
        expectTrajectory(trajectory(&sgd, gradients: Self.gradients), [[0.949, -1.898], [0.9151255, -1.905251]], "dampening + wd")
    }

    @Test func nesterov() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        expectTrajectory(trajectory(&sgd, gradients: Self.gradients), [[0.905, -1.81], [0.912, -2.109]], "nesterov")
    }

    @Test func plainSGDWithoutMomentum() {
        var sgd = SGD(learningRate: 0.1)
        expectTrajectory(trajectory(&sgd, gradients: Self.gradients), [[0.95, -1.9], [0.975, -2.1]], "plain")
        #expect(sgd.state().buffers.isEmpty, "plain SGD keeps no momentum buffers")
    }
}
