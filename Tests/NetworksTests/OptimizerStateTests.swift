import Testing
import Tensors
@testable import Networks

/// Saving after two steps and resuming must give the same third step as never stopping.
@Suite struct OptimizerStateTests {
    static let gradients: [[Float]] = [[0.5, -0.001, 2], [-0.25, 0.003, 1.5], [0.125, -0.002, -1]]

    private func parameters() -> [Parameter] {
        [Parameter(name: "layer.weight", value: Tensor(shape: [3], storage: [1, -2, 0.5])),
         Parameter(name: "layer.bias", value: Tensor(shape: [1], storage: [0.1]))]
    }

    private func step<O: Optimizer>(_ optimizer: inout O, _ parameters: inout [Parameter], _ k: Int) {
        parameters[0].gradient = Tensor(shape: [3], storage: Self.gradients[k])
        parameters[1].gradient = Tensor(shape: [1], storage: [Self.gradients[k][0]])
        optimizer.step(&parameters)
    }

    private func expectResumeIsExact<O: Optimizer>(_ make: () -> O) throws {
        var straight = make(), straightParameters = parameters()
        for k in 0..<3 { step(&straight, &straightParameters, k) }

        var first = make(), resumedParameters = parameters()
        for k in 0..<2 { step(&first, &resumedParameters, k) }
        let saved = first.state()
        let restoredState = try OptimizerState(tensors: saved.tensors(), metadata: saved.metadata())
        #expect(restoredState == saved, "\(O.self): state changed through tensors + metadata")
        var resumed = try O(restoring: restoredState)
        step(&resumed, &resumedParameters, 2)
        for (a, b) in zip(straightParameters, resumedParameters) {
            #expect(a.value.storage == b.value.storage, "\(O.self) \(a.name): \(a.value.storage) vs \(b.value.storage)")
        }
    }

    @Test func adamResumesExactly() throws { try expectResumeIsExact { Adam(learningRate: 0.01) } }
    @Test func adamWResumesExactly() throws { try expectResumeIsExact { Adam.adamW(learningRate: 0.01) } }
    @Test func sgdResumesExactly() throws { try expectResumeIsExact { SGD(learningRate: 0.01, momentum: 0.9, nesterov: true) } }

    @Test func tensorNamesFollowPyTorchBuffers() {
        var adam = Adam()
        var ps = parameters()
        adam.step(&ps)
        #expect(Set(adam.state().tensors().keys) == ["optimizer.layer.weight.exp_avg", "optimizer.layer.weight.exp_avg_sq",
                                                     "optimizer.layer.bias.exp_avg", "optimizer.layer.bias.exp_avg_sq"])
        #expect(adam.state().steps == ["layer.weight": 1, "layer.bias": 1])
    }

    @Test func stateFromAnotherModelIsATypedError() {
        var adam = Adam()
        var ps = parameters()
        adam.step(&ps)
        let other = [Parameter(name: "layer.weight", value: Tensor(shape: [4]))]
        #expect(throws: OptimizerStateError.bufferShape(parameter: "layer.weight", buffer: "exp_avg", expected: [4], found: [3])) {
            var state = adam.state()
            state.buffers["layer.weight"]?["exp_avg_sq"] = nil      // make the error deterministic
            try state.validate(against: other)
        }
        #expect(throws: Never.self) { try adam.state().validate(against: parameters()) }
    }

    @Test func restoringTheWrongKindFails() {
        #expect(throws: OptimizerStateError.wrongKind(expected: "sgd", found: "adam")) {
            _ = try SGD(restoring: Adam().state())
        }
    }

    @Test func missingMetadataIsReported() {
        #expect(throws: OptimizerStateError.missingMetadata(source: "model.safetensors")) {
            _ = try OptimizerState(tensors: [:], metadata: [:], source: "model.safetensors")
        }
    }
}
