import Foundation

/// The copy detector's evidence and calibration as sentences, for the terminal and the report's
/// English text (the report's other languages word the same numbers in their locale files).
public enum CopyWording {
    /// "copy similarity 0.991 (flagged from 0.920); the next popular cover is 12.4 times as far (flagged from 1.8)".
    public static func evidence(_ check: CopyCheck, _ calibration: CopyCalibration?) -> String {
        var text = String(format: "copy similarity %.3f", check.similarity)
        if let c = calibration { text += String(format: " (flagged from %.3f)", c.threshold) }
        text += "; the next popular cover is " + ratio(check.margin) + " times as far"
        if let c = calibration { text += " (flagged from " + ratio(c.marginThreshold) + ")" }
        return text
    }

    /// A distance ratio with one decimal; past 1,000 ("1000+") the number means nothing more.
    public static func ratio(_ value: Double) -> String {
        value > 1000 ? "1000+" : String(format: "%.1f", value)
    }

    /// How the thresholds were set.
    public static func calibration(_ c: CopyCalibration) -> String {
        switch c.source {
        case .popularSet:
            String(format: "Near-duplicates: flagged from copy similarity %.3f (fixed) when the next popular cover is at least %@ times as far, a ratio learned from the %d popular covers' own nearest neighbours (median similarity %.3f) so that about %.1f in 1,000 of them would pass it.",
                   c.threshold, ratio(c.marginThreshold), c.popularCount, c.medianNearest ?? 0, c.tailShare * 1000)
        case .fixed:
            "Near-duplicates: only \(c.popularCount) popular covers, fewer than the \(CopyCalibration.minimumPopularCount) needed to learn the distance-ratio threshold from them; the fixed thresholds measured on generated covers are used."
        }
    }
}
