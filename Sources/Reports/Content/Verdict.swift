import CoverAnalysis

/// The one-line judgement the summary gives each candidate.
///
/// Based on where the candidate ranks among the popular covers themselves: the top quarter fits the
/// popular set strongly, the middle half is typical, the bottom quarter scores below most popular
/// covers. (It is worded so, not "unlike the popular set": such a candidate may still outscore
/// nearly every other cover, which the report shows beside it.) Quartiles are used because they
/// need no calibration — a percentile of 50 is a median popular cover for any model and any data
/// set. A near-duplicate is flagged on top of the verdict, never instead of it.
public enum Verdict: String, Sendable {
    case strong
    case typical
    case unlike

    public static let strongFrom = 75.0
    public static let typicalFrom = 25.0

    public init(percentileAmongPopular p: Double) {
        if p.isFinite, p >= Verdict.strongFrom {
            self = .strong
        } else if p.isFinite, p >= Verdict.typicalFrom {
            self = .typical
        } else {
            self = .unlike
        }
    }

    /// The popular cover a near-duplicate candidate resembles: its best match at or above the threshold.
    public static func nearDuplicateOf(_ candidate: CandidateResult) -> String? {
        guard candidate.nearDuplicate || candidate.matches.contains(where: \.nearDuplicate) else { return nil }
        return (candidate.matches.first(where: \.nearDuplicate) ?? candidate.matches.first)?.file
    }
}
