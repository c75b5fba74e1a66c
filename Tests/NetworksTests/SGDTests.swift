import Testing
import Tensors
@testable import Networks

/// Expected values: PyTorch's SGD rules evaluated by hand in Double (gradients [0.5, −1] then
/// [−0.25, 2], lr 0.1, momentum 0.9). The first step copies the gradient into the buffer.
@Suite struct SGDTests {
    private func run(_ optimizer: inout SGD) -> [[Float]] {
        var parameters = [Parameter(name: "w", value: Tensor(shape: [2], storage: [1, -2]))]
        var trajectory: [[Float]] = []
        for g: [Float] in [[0.5, -1], [-0.25, 2]] {
            parameters[0].gradient = Tensor(shape: [2], storage: g)
            optimizer.step(&parameters)
            trajectory.append(parameters[0].value.storage)
        }
        return trajectory
    }

    private func expectClose(_ got: [[Float]], _ expected: [[Double]], _ label: String) {
        for (step, (g, e)) in zip(got, expected).enumerated() {
            for i in g.indices {
                #expect(abs(Double(g[i]) - e[i]) <= 2e-7 * max(1, abs(e[i])),
                        "\(label) step \(step + 1) element \(i): \(g[i]) vs \(e[i])")
            }
        }
    }

    @Test func momentum() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        expectClose(run(&sgd), [[0.95, -1.9], [0.93, -2.01]], "momentum")
    }

    @Test func dampeningAndWeightDecay() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.01)
        expectClose(run(&sgd), [[0.949, -1.898], [0.9151255, -1.905251]], "dampening + wd")
    }

    @Test func nesterov() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        expectClose(run(&sgd), [[0.905, -1.81], [0.912, -2.109]], "nesterov")
    }

    @Test func plainSGDWithoutMomentum() {
        var sgd = SGD(learningRate: 0.1)
        expectClose(run(&sgd), [[0.95, -1.9], [0.975, -2.1]], "plain")
        #expect(sgd.state().buffers.isEmpty, "plain SGD keeps no momentum buffers")
    }
}
