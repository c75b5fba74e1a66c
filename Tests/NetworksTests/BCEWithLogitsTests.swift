import Testing
import Tensors
@testable import Networks

@Suite struct BCEWithLogitsTests {
    let logits = Tensor(shape: [4, 1], storage: [2, -1, 0.5, -3])
    let targets = Tensor(shape: [4, 1], storage: [1, 0, 0, 1])

    @Test func meanLossMatchesHandComputedValue() {
        // −mean[y·log σ(x) + (1−y)·log(1−σ(x))] = (0.126928 + 0.313262 + 0.974077 + 3.048587) / 4
        let loss = BCEWithLogits().loss(logits: logits, targets: targets)
        #expect(abs(loss - 1.115713508578761) < 1e-9, "loss \(loss)")
    }

    @Test func positiveWeightScalesOnlyThePositiveTerm() {
        // pos_weight 3: the two positive examples' losses are tripled.
        let loss = BCEWithLogits(positiveWeight: 3).loss(logits: logits, targets: targets)
        #expect(abs(loss - 2.7034711898871184) < 1e-9, "loss \(loss)")
    }

    @Test(arguments: [nil, Float(0.5), Float(3)])
    func gradientMatchesCentralDifferences(positiveWeight: Float?) {
        let loss = BCEWithLogits(positiveWeight: positiveWeight)
        let x: [Double] = [2, -1, 0.5, -3, 0, 7.5]
        let y: [Double] = [1, 0, 0, 1, 0.3, 0]   // soft target included
        let w = Double(positiveWeight ?? 1)
        let analytic = loss.gradient(logits: Tensor(shape: [6], storage: x.map(Float.init)),
                                     targets: Tensor(shape: [6], storage: y.map(Float.init)))
        let h = 1e-6
        for i in x.indices {
            // The mean's derivative w.r.t. one logit is that element's derivative / count.
            let numeric = (BCEWithLogits.elementLoss(logit: x[i] + h, target: y[i], positiveWeight: w)
                - BCEWithLogits.elementLoss(logit: x[i] - h, target: y[i], positiveWeight: w)) / (2 * h) / Double(x.count)
            #expect(abs(Double(analytic.storage[i]) - numeric) < 1e-6,
                    "element \(i): analytic \(analytic.storage[i]) vs numeric \(numeric)")
        }
    }

    @Test func extremeLogitsStayFinite() {
        let x = Tensor(shape: [4], storage: [1000, -1000, 90, -90])
        let y = Tensor(shape: [4], storage: [0, 1, 1, 0])
        let (loss, gradient) = BCEWithLogits().lossAndGradient(logits: x, targets: y)
        // Two confidently wrong (≈ 1000 each), two confidently right (≈ 0).
        #expect(abs(loss - 500) < 1e-9, "loss \(loss)")
        #expect(gradient.storage.allSatisfy { $0.isFinite }, "gradient \(gradient.storage)")
        #expect(gradient.storage[0] == 0.25 && gradient.storage[1] == -0.25, "saturated gradients \(gradient.storage)")
    }
}
