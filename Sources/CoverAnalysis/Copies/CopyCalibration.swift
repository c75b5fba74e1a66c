import Foundation

/// The similarity above which a candidate's best match is too close to be chance, learned from how
/// close the popular covers come to each other.
///
/// Each popular cover's nearest other popular cover is a sample of "the best match a distinct cover
/// finds in this set": in a set of one genre's covers that can be high, in a mixed set low, and it
/// rises with the set's size; its lead over the second nearest is a sample of a distinct cover's
/// margin. The detector flags a candidate when both its best match and that match's lead over the
/// runner-up are as unusual as `tailShare` allows: a copy is far closer to its original than to
/// anything else, a cover of a crowded genre is close to several. A set of a few thousand
/// covers shows that rate's quantile only through its few largest values — and a popular set may
/// itself hold the same cover twice — so the threshold is extrapolated from the tail instead
/// (peaks over threshold): above the 90th percentile `u` the nearest-neighbour similarities are
/// taken as exponential with the observed mean excess `β`, so the share above `u + β · ln(0.1 / α)`
/// is `α`; the margin's tail likewise. The share `tailShare` was chosen on the edited-copy
/// benchmark for at most one false alarm per 1,000 distinct covers (README, "Near-duplicates").
///
/// Below `minimumPopularCount` covers the tails are too thin to fit: the detector then uses the
/// thresholds the benchmark's catalogues gave (`fixed`), and the report says so.
public struct CopyCalibration: Codable, Equatable, Sendable {
    public enum Source: String, Codable, Sendable {
        /// Learned from the popular covers' own nearest-neighbour similarities.
        case popularSet = "popular-set"
        /// Too few popular covers: the benchmark's threshold.
        case fixed
    }

    public var source: Source
    public var popularCount: Int
    /// Median similarity of a popular cover to its nearest other popular cover (nil when fixed).
    public var medianNearest: Double?
    /// The best-match similarity at or above which a candidate may be flagged.
    public var threshold: Double
    /// The lead of the best match over the second best at or above which it may be flagged.
    public var marginThreshold: Double
    /// The share of each nearest-neighbour tail (similarity, margin) beyond its threshold.
    public var tailShare: Double

    /// Fewest popular covers whose nearest-neighbour tail is fitted: 100 samples above the 90th percentile.
    public static let minimumPopularCount = 1000
    /// The fixed recipe's thresholds: the mean of those fitted on the benchmark's two 2,500-cover
    /// catalogues (`coverlens-bench --copies` prints them; README "Near-duplicates").
    public static let fixedThreshold = 0.951
    public static let fixedMarginThreshold = 0.072
    /// The share of each tail beyond its threshold (see the type's notes).
    public static let tailShare = 0.002

    public init(source: Source, popularCount: Int, medianNearest: Double?, threshold: Double, marginThreshold: Double,
                tailShare: Double) {
        self.source = source
        self.popularCount = popularCount
        self.medianNearest = medianNearest
        self.threshold = threshold
        self.marginThreshold = marginThreshold
        self.tailShare = tailShare
    }

    /// The calibration for popular covers whose nearest and second-nearest other popular covers
    /// have similarities `nearest` and `second`.
    public static func fitted(nearest: [Double], second: [Double], tailShare alpha: Double = tailShare) -> CopyCalibration {
        guard nearest.count >= minimumPopularCount else {
            return CopyCalibration(source: .fixed, popularCount: nearest.count, medianNearest: nil, threshold: fixedThreshold,
                                   marginThreshold: fixedMarginThreshold, tailShare: alpha)
        }
        return CopyCalibration(source: .popularSet, popularCount: nearest.count, medianNearest: quantile(nearest.sorted(), 0.5),
                               threshold: tailThreshold(nearest, share: alpha),
                               marginThreshold: tailThreshold(zip(nearest, second).map { $0 - $1 }, share: alpha),
                               tailShare: alpha)
    }

    /// The value exceeded by a share `alpha` of an exponential tail fitted above the 90th percentile.
    static func tailThreshold(_ values: [Double], share alpha: Double) -> Double {
        let sorted = values.sorted()
        let u = quantile(sorted, 0.9)
        let excess = sorted.filter { $0 > u }.map { $0 - u }
        let beta = excess.isEmpty ? 0 : excess.reduce(0, +) / Double(excess.count)
        return u + beta * log(0.1 / alpha)
    }

    /// Linear-interpolated quantile of sorted values (NumPy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
