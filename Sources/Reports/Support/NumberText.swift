import Foundation

/// Numbers as the report prints them: fixed decimals, "—" for a missing or non-finite value, and no
/// locale-dependent separators (reports in every language read 0.83 the same way).
enum NumberText {
    /// A value that rounds to zero prints without a sign: a Cohen's d of -0.004 is "0.00", not
    /// "-0.00" beside the word "less".
    static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text
    }

    /// A 0…100 percentile, whole numbers.
    static func percentile(_ value: Double?) -> String { fixed(value, 0) }

    /// A 0…1 share as a percentage.
    static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "—" }
        return String(format: "%.0f%%", share * 100)
    }

    /// A popularity score: a probability or a cosine-based score, three decimals.
    static func score(_ value: Double) -> String { fixed(value, 3) }

    /// Width in percent for a bar, clamped to 0…100.
    static func barWidth(_ percentile: Double?) -> String {
        guard let percentile, percentile.isFinite else { return "0" }
        return String(format: "%.0f", max(0, min(100, percentile)))
    }

    /// A feature value: enough decimals for its size.
    static func feature(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return abs(value) >= 100 ? String(format: "%.0f", value) : abs(value) >= 10 ? String(format: "%.1f", value)
            : String(format: "%.3f", value)
    }
}
