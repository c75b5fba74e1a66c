extension Evaluation {
    /// True when the ROC AUC is so far below 0.5 that the model ranks the other covers above the
    /// popular ones: what a head whose logit predicts the other class does (the PyTorch recipe's,
    /// when its popular folder sorts first and the import did not say so).
    ///
    /// "Far" is below 0.4 and more than three standard deviations under 0.5, where a head that
    /// knows nothing lands: the AUC is the Mann–Whitney U / (n₊ n₋), whose standard deviation for a
    /// useless ranking is √((n₊ + n₋ + 1) / (12 n₊ n₋)) — 0.09 for 20 covers a class, so a small set
    /// needs a clearer sign than a large one.
    public var suggestsFlippedLogit: Bool {
        let c = metrics.confusion
        let positives = Double(c.truePositives + c.falseNegatives), negatives = Double(c.falsePositives + c.trueNegatives)
        guard let auc = metrics.rocAUC, positives > 0, negatives > 0 else { return false }
        let chanceDeviation = ((positives + negatives + 1) / (12 * positives * negatives)).squareRoot()
        return auc < 0.4 && auc < 0.5 - 3 * chanceDeviation
    }
}
