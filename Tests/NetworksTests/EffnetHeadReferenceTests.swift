import Testing
import Tensors
@testable import Networks

/// PyTorch's `effnet_head` training reference: Linear(1280, 1) on four frozen EfficientNet-Lite0
/// embeddings, BCEWithLogitsLoss (mean), Adam(lr 1e-3). Tolerances from the reference README.
@Suite struct EffnetHeadReferenceTests {
    let reference: ReferenceFile
    init() throws { reference = try ReferenceFile("train_step.safetensors") }

    private func initialHead() throws -> Linear {
        Linear(weight: try reference.tensor("effnet_head.init.weight"), bias: try reference.tensor("effnet_head.init.bias"))
    }

    /// forward + loss + backward with zeroed gradients; returns the loss before the step.
    private func lossAndBackward(_ head: inout Linear, _ x: Tensor, _ y: Tensor) -> Double {
        head.zeroGradients()
        let logits = head.forward(x)
        let (loss, dLogits) = BCEWithLogits().lossAndGradient(logits: logits, targets: y)
        head.backward(dLogits, input: x, inputGradient: false)
        return loss
    }

    @Test func logitsAndLossBeforeTraining() throws {
        let head = try initialHead()
        let logits = head.forward(try reference.tensor("effnet_head.features"))
        let expected = try reference.values("effnet_head.logits_before")
        for (a, b) in zip(logits.storage, expected) { #expect(abs(Double(a) - b) <= 1e-5, "logit \(a) vs \(b)") }
        let loss = BCEWithLogits().loss(logits: logits, targets: try reference.tensor("batch_labels"))
        let want = try reference.values("effnet_head.loss_before")[0]
        #expect(abs(loss - want) <= 1e-4, "loss_before \(loss) vs \(want)")
    }

    @Test func gradientsMatchPyTorch() throws {
        var head = try initialHead()
        _ = lossAndBackward(&head, try reference.tensor("effnet_head.features"), try reference.tensor("batch_labels"))
        let norms = try reference.values("effnet_head.grad_norms")    // weight, bias
        for (parameter, want) in zip(head.parameters, norms) {
            let got = gradientNorm(parameter)
            #expect(abs(got - want) <= 2e-3 * want, "grad norm of \(parameter.name): \(got) vs \(want)")
        }
        for (parameter, leaf) in zip(head.parameters, ["weight", "bias"]) {
            let want = try reference.values("effnet_head.grad.\(leaf)")
            let got = parameter.gradient.storage.map(Double.init)
            let largest = want.map(abs).max() ?? 0
            #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-2 * largest }, "grad.\(leaf) max abs diff")
            if leaf == "weight" { #expect(cosine(got, want) >= 0.9999, "grad.weight cosine \(cosine(got, want))") }
        }
    }

    @Test func adamStepsMatchPyTorch() throws {
        let x = try reference.tensor("effnet_head.features")
        let y = try reference.tensor("batch_labels")
        var head = try initialHead()
        var adam = Adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        _ = lossAndBackward(&head, x, y)
        let gradients = head.parameters.map(\.gradient)
        head.updateParameters { adam.update(&$0) }

        for (parameter, (leaf, gradient)) in zip(head.parameters, zip(["weight", "bias"], gradients)) {
            let want = try reference.values("effnet_head.after_step1.\(leaf)")
            var worst = 0.0
            for i in want.indices where abs(gradient.storage[i]) > 1e-6 {
                worst = max(worst, abs(Double(parameter.value.storage[i]) - want[i]))
            }
            #expect(worst <= 1e-5, "after_step1.\(leaf): max abs diff \(worst)")
            // Embedding channels that are 0 for all four images give exactly zero gradients
            // (331 weights); Adam must leave those weights exactly where they were.
            let untouched = want.indices.filter { gradient.storage[$0] == 0 }
            #expect(untouched.allSatisfy { Double(parameter.value.storage[$0]) == want[$0] },
                    "after_step1.\(leaf): a zero-gradient value moved")
            if leaf == "weight" { #expect(untouched.count == 331, "zero-gradient weights: \(untouched.count)") }
        }

        var losses: [Double] = []
        for _ in 0..<3 {
            losses.append(lossAndBackward(&head, x, y))
            head.updateParameters { adam.update(&$0) }
        }
        let want = try reference.values("effnet_head.losses_after_steps_1_2_3")
        #expect(abs(losses[0] - (try reference.values("effnet_head.loss_after_step1")[0])) <= 1e-4, "loss_after_step1")
        for (k, (got, expected)) in zip(losses, want).enumerated() {
            #expect(abs(got - expected) <= 1e-4, "loss after step \(k + 1): \(got) vs \(expected)")
        }
    }
}
