/// Area under the ROC curve, exactly, by the Mann–Whitney U statistic.
///
/// AUC is the probability that a random positive scores higher than a random negative, ties
/// counting one half. Ranking all scores (ties get their average rank) gives it without building
/// the curve: AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋), with R₊ the rank sum of the positives.
/// O(n log n), and identical to scikit-learn's `roc_auc_score`, which interpolates ties the same way.
///
/// - Returns: nil when one class is absent or a score is NaN (AUC is undefined then).
public func rocAUC(scores: [Float], positives: [Bool]) -> Double? {
    precondition(scores.count == positives.count, "rocAUC: \(scores.count) scores for \(positives.count) labels")
    guard !scores.contains(where: { $0.isNaN }) else { return nil }
    let positiveCount = positives.filter { $0 }.count
    let negativeCount = positives.count - positiveCount
    guard positiveCount > 0, negativeCount > 0 else { return nil }

    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var positiveRankSum = 0.0
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
        let averageRank = Double(start + 1 + end) / 2            // ranks are 1-based: (start+1 … end)
        for k in start..<end where positives[order[k]] { positiveRankSum += averageRank }
        start = end
    }
    let p = Double(positiveCount), n = Double(negativeCount)
    return (positiveRankSum - p * (p + 1) / 2) / (p * n)
}
