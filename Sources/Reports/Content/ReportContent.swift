import CoverAnalysis
import Foundation

/// What the report says, in one language, independent of HTML or PDF: both pages are drawn from
/// this one value, so they cannot disagree.
struct ReportContent {
    struct Candidate {
        /// Its place in the report, counted from 1: what figures' markers and row labels show.
        var number: Int
        /// "candidate-3": generated, safe as an HTML id.
        var anchor: String
        var name: String
        var cover: CoverKey
        var popularity: String
        var percentile: String
        var percentileValue: Double
        var percentileOther: String?
        var verdict: Verdict
        var verdictText: String
        var warning: String?
        var cluster: String
        var matches: [Match]
        var features: [Feature]
    }

    struct Match {
        var rank: Int
        var name: String
        var cosine: String
        var nearDuplicate: Bool
    }

    struct Feature {
        var label: String
        var value: String
        var percentile: String
        var percentileValue: Double?
    }

    struct Ranking {
        var label: String
        var effect: String
        var strength: String
        var direction: String
    }

    struct FeatureSummaryRow {
        var label: String
        var median: String
        var quartiles: String
    }

    struct Row {
        var label: String
        var value: String
        /// Identifiers (hashes, JSON) are set in a monospaced face.
        var monospaced = false
    }

    struct Skipped {
        var folder: String
        var file: String
        var reason: String
    }

    var title: String
    var subtitle: String
    var generatedBy: String
    var intro: String
    var popularityExplanation: String
    /// How the verdicts follow from the numbers, for the kind of scoring this result used.
    var verdictRule: String
    var candidates: [Candidate]
    var ranking: [Ranking]
    var featureSummary: [FeatureSummaryRow]
    var model: [Row]
    var validation: [Row]
    var settings: [Row]
    var bestEpoch: String?
    var skipped: [Skipped]
}
