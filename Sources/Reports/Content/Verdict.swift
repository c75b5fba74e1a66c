import CoverAnalysis

/// The one-line judgement the summary gives each candidate, from two numbers a reader can check in
/// the same row: the model's probability p(popular) and the percentile among popular covers.
///
/// With a trained head, the probability decides the side and the percentile the degree:
///
/// | p(popular) | percentile among popular | verdict   |
/// |------------|--------------------------|-----------|
/// | ≥ 0.5      | ≥ 50                     | strong    |
/// | ≥ 0.5      | < 50                     | likely    |
/// | < 0.5      | ≥ 25                     | doubtful  |
/// | < 0.5      | < 25                     | unlikely  |
///
/// So a cover the model calls popular (p 0.77) is never shown as a failure because most popular
/// covers score higher still; it reads "likely popular, below the median popular cover".
/// Without a trained head there is no probability, and the similarity percentile alone is used,
/// in quartiles (≥ 75, 25…75, < 25), which need no calibration. A near-duplicate is flagged on top
/// of the verdict, never instead of it. A missing or non-finite number counts as the lower side.
public enum Verdict: String, Sendable, CaseIterable {
    case strong
    case likely
    case doubtful
    case unlikely
    case similarStrong = "similar-strong"
    case similarTypical = "similar-typical"
    case similarBelow = "similar-below"

    public static let probabilityFrom = 0.5
    public static let medianPercentile = 50.0
    public static let lowerQuartile = 25.0
    public static let upperQuartile = 75.0

    /// `probability` nil: no trained head (similarity scoring).
    public init(probability: Double?, percentileAmongPopular q: Double) {
        let q = q.isFinite ? q : -1
        if let p = probability {
            let popular = p.isFinite && p >= Verdict.probabilityFrom
            self = popular ? (q >= Verdict.medianPercentile ? .strong : .likely)
                : (q >= Verdict.lowerQuartile ? .doubtful : .unlikely)
        } else {
            self = q >= Verdict.upperQuartile ? .similarStrong : q >= Verdict.lowerQuartile ? .similarTypical : .similarBelow
        }
    }

    /// The verdict's wording under `verdict.*` in the locale files.
    public var textKey: String { "verdict." + rawValue.replacingOccurrences(of: "-", with: "_") }

    /// Colour class on the page: good, neutral, doubt or weak.
    public var tone: String {
        switch self {
        case .strong, .similarStrong: "good"
        case .likely, .similarTypical: "neutral"
        case .doubtful: "doubt"
        case .unlikely, .similarBelow: "weak"
        }
    }

    /// The popular cover a near-duplicate candidate copies: the copy detector's match when it flagged
    /// one, else (results written before the detector) the first match marked near-duplicate.
    public static func nearDuplicateOf(_ candidate: CandidateResult) -> String? {
        if let check = candidate.copyCheck { return check.isCopy ? check.file : nil }
        guard candidate.nearDuplicate || candidate.matches.contains(where: \.nearDuplicate) else { return nil }
        return (candidate.matches.first(where: \.nearDuplicate) ?? candidate.matches.first)?.file
    }
}
