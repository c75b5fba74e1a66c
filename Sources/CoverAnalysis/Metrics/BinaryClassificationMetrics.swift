import Foundation
import Tensors
import Networks

/// How well one-logit predictions separate popular from other covers.
///
/// Built from raw logits, so the same numbers describe a training epoch, a validation split or an
/// evaluation run. The decision is "popular" when σ(logit) ≥ threshold (default 0.5, i.e. logit ≥ 0).
/// The PyTorch recipe this replaces compared raw logits with 0.5, which is a threshold of
/// σ(0.5) ≈ 0.62 in probability; CoverLens does not copy that.
public struct BinaryClassificationMetrics: Codable, Equatable, Sendable {
    /// Number of examples.
    public var count: Int
    /// Mean BCE-with-logits loss (with the positive weight used in training, if any).
    public var loss: Double
    public var accuracy: Double
    /// ROC AUC (Mann–Whitney, ties as ½); nil when only one class is present.
    public var rocAUC: Double?
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var confusion: ConfusionMatrix
    /// Probability threshold of the decision.
    public var threshold: Double

    /// - Parameters:
    ///   - logits: one logit per example.
    ///   - labels: 1 = popular, 0 = other (values > 0.5 count as positive).
    public init(logits: [Float], labels: [Float], positiveWeight: Float? = nil, threshold: Double = 0.5) {
        precondition(logits.count == labels.count, "metrics: \(logits.count) logits for \(labels.count) labels")
        let truth = labels.map { $0 > 0.5 }
        // σ(x) ≥ t ⇔ x ≥ log(t / (1 − t)); comparing logits avoids σ rounding to 1 for large x.
        let cut = Float(threshold > 0 && threshold < 1 ? log(threshold / (1 - threshold)) : (threshold <= 0 ? -.infinity : .infinity))
        let predictions = logits.map { $0 >= cut }
        let matrix = ConfusionMatrix(predictions: predictions, truth: truth)
        let n = logits.count
        self.count = n
        self.loss = n == 0 ? 0 : BCEWithLogits(positiveWeight: positiveWeight)
            .loss(logits: Tensor(shape: [n], storage: logits), targets: Tensor(shape: [n], storage: labels))
        self.accuracy = matrix.accuracy
        self.rocAUC = CoverAnalysis.rocAUC(scores: logits, positives: truth)
        self.precision = matrix.precision
        self.recall = matrix.recall
        self.f1 = matrix.f1
        self.confusion = matrix
        self.threshold = threshold
    }
}
