import Tensors

/// Finds candidates that are edited copies of a popular cover: a search over `BandDescriptor`s
/// (`BandSearch`), separate from the style similarity, with thresholds calibrated on the popular
/// set itself (`CopyCalibration`).
public struct CopyDetector: Sendable {
    let search: BandSearch
    public let calibration: CopyCalibration

    /// - Parameters:
    ///   - popular: the popular covers' descriptors [P, BandDescriptor.length].
    ///   - calibratedOn: the first rows the thresholds are fitted on (all by default). A sample of a
    ///     collection followed by the collection's covers nearest to the candidates is calibrated on
    ///     the sample alone: the added rows are there to be found, not to shift the thresholds.
    public init(popular: Tensor, calibratedOn calibrationRows: Int? = nil, tailShare: Double = CopyCalibration.tailShare,
                compute: ComputeContext = .default) {
        search = BandSearch(catalogue: popular, compute: compute)
        let p = min(popular.shape[0], calibrationRows ?? popular.shape[0])
        let sample = p == popular.shape[0] ? popular : popular.slice(batch: 0..<p)
        let own = p == popular.shape[0] ? search : BandSearch(catalogue: sample, compute: compute)
        // Each popular cover searched as a candidate would be, among the others: its nearest and second nearest.
        var nearest: [Double] = [], second: [Double] = []
        for matches in own.topMatches(for: sample, k: 2, excludingSelf: true) where matches.count >= 2 {
            nearest.append(Double(matches[0].cosine))
            second.append(Double(matches[1].cosine))
        }
        calibration = CopyCalibration.fitted(nearest: nearest, second: second, tailShare: tailShare)
    }

    /// The evidence for each candidate descriptor [M, D]: its best popular match, the runner-up, and
    /// whether the pair passes both thresholds. Needs at least two popular covers for a margin; with
    /// one, the runner-up counts as similarity 0.
    public func judge(_ candidates: Tensor) -> [CopyEvidence] {
        search.topMatches(for: candidates, k: 2).map { matches in
            let best = Double(matches.first?.cosine ?? 0)
            let second = matches.count > 1 ? Double(matches[1].cosine) : 0
            return CopyEvidence(popularIndex: matches.first?.index ?? 0, similarity: best, secondSimilarity: second,
                                isCopy: best >= calibration.threshold
                                    && CopyEvidence.distanceRatio(best, second) >= calibration.marginThreshold)
        }
    }
}

/// Why a candidate was (or was not) flagged as a copy: the numbers the report shows.
public struct CopyEvidence: Codable, Equatable, Sendable {
    /// Row of the best match in the popular set (resolved to a file name by the caller).
    public var popularIndex: Int
    /// Band similarity (`BandSearch`) of the candidate and its best match.
    public var similarity: Double
    /// The same for the second-best match.
    public var secondSimilarity: Double
    public var isCopy: Bool

    /// How many times farther the second-best match is than the best (`distanceRatio`).
    public var margin: Double { Self.distanceRatio(similarity, secondSimilarity) }

    /// (1 − second) / (1 − best), each distance at least 1e-4 (similarities a rounding away from 1).
    public static func distanceRatio(_ best: Double, _ second: Double) -> Double {
        max(1e-4, 1 - second) / max(1e-4, 1 - best)
    }
}
