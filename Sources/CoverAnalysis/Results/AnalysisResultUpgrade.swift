/// Reading `results.json` written by an older CoverLens: each older schema version is brought to
/// the current one on the way in, so `coverlens report` can re-render it without the covers.
extension AnalysisResult {
    /// Version 1 → 2. Version 1 numbered style clusters from 0 and, without a trained head, stored
    /// the similarity percentile / 100 as `popularity`. Version 2 numbers clusters from 1 and stores
    /// the similarity itself: the mean cosine of the candidate's top-k matches, which version 1
    /// files hold (the same cosines, in the same order, that the score was the mean of).
    ///
    /// Files written between the change of meaning and the version bump say version 1 but already
    /// mean version 2; they are the only version 1 files with `matchSimilarities` (added in the same
    /// change), and only their version number is updated.
    func upgradedFromVersion1() -> AnalysisResult {
        var result = self
        result.schemaVersion = 2
        guard matchSimilarities == nil else { return result }
        for i in result.common.styleClusters.indices { result.common.styleClusters[i].index += 1 }
        for i in result.candidates.indices {
            result.candidates[i].styleCluster = result.candidates[i].styleCluster.map { $0 + 1 }
            if popularity == .similarity {
                let cosines = result.candidates[i].matches.map(\.cosine)
                result.candidates[i].popularity = cosines.isEmpty ? 0 : cosines.reduce(0, +) / Double(cosines.count)
            }
        }
        return result
    }
}
