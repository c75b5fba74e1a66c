/// Counts of a binary decision against the truth, positive = "popular".
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(truePositives: Int = 0, falsePositives: Int = 0, trueNegatives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Tallies predictions against labels (both already decided as positive / negative).
    public init(predictions: [Bool], truth: [Bool]) {
        self.init()
        for (predicted, actual) in zip(predictions, truth) {
            switch (predicted, actual) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
        }
    }

    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    /// (TP + TN) / total; 0 for an empty matrix.
    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }

    /// TP / (TP + FP). When nothing was predicted positive it is 0 (scikit-learn's `zero_division=0`),
    /// so a model that never says "popular" does not look precise.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }

    /// TP / (TP + FN), the share of popular covers found; 0 when there are none.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }

    /// Harmonic mean of precision and recall, 2TP / (2TP + FP + FN); 0 when undefined.
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
