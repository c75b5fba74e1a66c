import Tensors

/// Finds candidates that are edited copies of a popular cover: a search over `CopyDescriptor`s,
/// separate from the style similarity, with thresholds calibrated on the popular set itself
/// (`CopyCalibration`).
public struct CopyDetector: Sendable {
    /// Popular descriptors [P, D], unit rows.
    let search: SimilaritySearch
    public let calibration: CopyCalibration

    /// - Parameters:
    ///   - popular: the popular covers' descriptors [P, D] (`CopyDescriptor.describe`).
    ///   - calibratedOn: the first rows the thresholds are fitted on (all by default). A sample of a
    ///     collection followed by the collection's covers nearest to the candidates is calibrated on
    ///     the sample alone: the added rows are there to be found, not to shift the thresholds.
    public init(popular: Tensor, calibratedOn calibrationRows: Int? = nil, tailShare: Double = CopyCalibration.tailShare,
                compute: ComputeContext = .default) {
        search = SimilaritySearch(popular: popular, compute: compute)
        let p = min(search.popular.shape[0], calibrationRows ?? search.popular.shape[0])
        // Each popular cover against the others: its own row comes first (cosine 1), then the two nearest.
        let own = SimilaritySearch.topMatches(normalised: search.popular, rows: 0..<p, popular: search.popular,
                                              popularCount: p, k: 3, compute: compute)
        var nearest: [Double] = [], second: [Double] = []
        for (i, matches) in own.enumerated() {
            let others = matches.filter { $0.index != i }
            if others.count >= 2 {
                nearest.append(Double(others[0].cosine))
                second.append(Double(others[1].cosine))
            }
        }
        calibration = CopyCalibration.fitted(nearest: nearest, second: second, tailShare: tailShare)
    }

    /// The evidence for each candidate descriptor [M, D]: its best popular match, the runner-up, and
    /// whether the pair passes both thresholds. Needs at least two popular covers for a margin; with
    /// one, the margin is the similarity itself.
    public func judge(_ candidates: Tensor) -> [CopyEvidence] {
        search.topMatches(for: candidates, k: 2).map { matches in
            let best = Double(matches.first?.cosine ?? 0)
            let second = matches.count > 1 ? Double(matches[1].cosine) : 0
            return CopyEvidence(popularIndex: matches.first?.index ?? 0, similarity: best, secondSimilarity: second,
                                isCopy: best >= calibration.threshold && best - second >= calibration.marginThreshold)
        }
    }
}

/// Why a candidate was (or was not) flagged as a copy: the numbers the report shows.
public struct CopyEvidence: Codable, Equatable, Sendable {
    /// Row of the best match in the popular set (resolved to a file name by the caller).
    public var popularIndex: Int
    /// Cosine of the copy descriptors of the candidate and its best match.
    public var similarity: Double
    /// The same for the second-best match.
    public var secondSimilarity: Double
    public var isCopy: Bool

    public var margin: Double { similarity - secondSimilarity }
}
