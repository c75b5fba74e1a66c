import Foundation

/// When a candidate's best match is close enough, and far enough ahead of the runner-up, to call
/// the candidate an edited copy of it.
///
/// Two numbers decide (`CopyDetector`): the best match's similarity (`BandSearch`) and how much
/// farther the second-best popular cover is, as a ratio of distances (1 − similarity): a copy sits
/// almost on its original and far from everything else (ratios of 5 to 1,000 on the edited-copy
/// benchmark); a distinct cover of a crowded genre is about as close to several (ratios near 1).
///
/// The similarity threshold is fixed, measured on the edited-copy benchmark (README,
/// "Near-duplicates"). The distance-ratio threshold is learned from the popular covers themselves
/// when there are enough of them: each popular cover's nearest and second-nearest other popular
/// covers give a sample of the ratio a distinct cover reaches in *this* set, and the threshold is
/// set where a share `tailShare` of that sample would pass (never below the fixed one), so a
/// crowded genre raises the bar. A set of a few thousand covers shows that share only through its
/// few largest values — and a popular set may hold near-twins of its own — so the threshold is
/// extrapolated from the tail instead (peaks over threshold): above the 90th percentile `u` the
/// log ratios are taken as exponential, their scale `β` estimated from the median excess (which
/// near-twins do not drag up), so the share above `u + β · ln(0.1 / α)` is `α`.
///
/// Why the similarity is not learned the same way: on the benchmark's popular set, whose covers
/// include near-twins, the same fit put it at 0.993 and would have missed most brightened copies,
/// while distinct candidates never came within 0.95 of a popular cover.
///
/// Below `minimumPopularCount` covers the tail is too thin to fit: the fixed thresholds are used,
/// and the report says so.
public struct CopyCalibration: Codable, Equatable, Sendable {
    public enum Source: String, Codable, Sendable {
        /// The distance-ratio threshold learned from the popular covers' own nearest neighbours.
        case popularSet = "popular-set"
        /// Too few popular covers: both thresholds fixed.
        case fixed
    }

    public var source: Source
    public var popularCount: Int
    /// Median similarity of a popular cover to its nearest other popular cover (nil when fixed).
    public var medianNearest: Double?
    /// The best-match similarity at or above which a candidate may be flagged.
    public var threshold: Double
    /// How many times farther the second-best match must be (`CopyEvidence.distanceRatio`).
    public var marginThreshold: Double
    /// The share of the nearest-neighbour distance-ratio tail beyond its threshold.
    public var tailShare: Double

    /// Fewest popular covers whose nearest-neighbour tail is fitted: 100 samples above the 90th percentile.
    public static let minimumPopularCount = 1000
    /// The fixed thresholds, chosen on the edited-copy benchmark (`coverlens-bench --copies`) for at
    /// most one false alarm per 1,000 distinct covers over both of its catalogues.
    public static let fixedThreshold = 0.92
    public static let fixedMarginThreshold = 1.8
    /// The share of the tail beyond its threshold (see the type's notes).
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
        let logRatios = zip(nearest, second).map { log(CopyEvidence.distanceRatio($0, $1)) }
        return CopyCalibration(source: .popularSet, popularCount: nearest.count, medianNearest: quantile(nearest.sorted(), 0.5),
                               threshold: fixedThreshold,
                               marginThreshold: max(fixedMarginThreshold, exp(tailThreshold(logRatios, share: alpha))),
                               tailShare: alpha)
    }

    /// The value exceeded by a share `alpha` of an exponential tail fitted above the 90th
    /// percentile, its scale from the median excess (median of an exponential = β · ln 2).
    static func tailThreshold(_ values: [Double], share alpha: Double) -> Double {
        let sorted = values.sorted()
        let u = quantile(sorted, 0.9)
        let excess = sorted.filter { $0 > u }.map { $0 - u }
        let beta = excess.isEmpty ? 0 : quantile(excess, 0.5) / log(2)
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
