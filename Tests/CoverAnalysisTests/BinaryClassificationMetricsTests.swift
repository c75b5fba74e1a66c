import Foundation
import Testing
@testable import CoverAnalysis

@Suite struct BinaryClassificationMetricsTests {
    // Decisions at logit ≥ 0: predicted [1, 1, 0, 0, 1, 0], truth [1, 0, 0, 1, 1, 0]
    let logits: [Float] = [2, 0.3, -0.2, -1, 0, -3]
    let labels: [Float] = [1, 0, 0, 1, 1, 0]

    @Test func confusionMatrixCountsEachCell() {
        let m = BinaryClassificationMetrics(logits: logits, labels: labels)
        #expect(m.confusion == ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 2, falseNegatives: 1))
        #expect(m.accuracy == 4.0 / 6.0)
        #expect(m.precision == 2.0 / 3.0 && m.recall == 2.0 / 3.0)
        #expect(abs(m.f1 - 2.0 / 3.0) < 1e-15)
    }

    @Test func decisionIsAtProbabilityOneHalfNotLogitOneHalf() {
        // A logit of 0.3 is p = 0.574: popular. The PyTorch recipe's `logit > 0.5` would say no.
        let m = BinaryClassificationMetrics(logits: [0.3], labels: [1])
        #expect(m.confusion.truePositives == 1)
        let strict = BinaryClassificationMetrics(logits: [0.3], labels: [1], threshold: 0.6)
        #expect(strict.confusion.falseNegatives == 1, "σ(0.3) = 0.574 < 0.6")
    }

    @Test func lossIsMeanBCEWithLogits() {
        let m = BinaryClassificationMetrics(logits: [2, -1, 0.5, -3], labels: [1, 0, 0, 1])
        #expect(abs(m.loss - 1.115713508578761) < 1e-9, "loss \(m.loss)")
        #expect(m.rocAUC == 0.5, "positives 2 and −3 each beat one of the negatives −1, 0.5")
    }

    @Test func noPredictedPositivesGivesZeroPrecisionNotNaN() {
        let m = BinaryClassificationMetrics(logits: [-1, -2], labels: [1, 0])
        #expect(m.precision == 0 && m.f1 == 0 && m.recall == 0)
    }

    @Test func roundTripsThroughJSON() throws {
        let m = BinaryClassificationMetrics(logits: logits, labels: labels)
        let decoded = try JSONDecoder().decode(BinaryClassificationMetrics.self, from: JSONEncoder().encode(m))
        #expect(decoded == m)
    }
}
