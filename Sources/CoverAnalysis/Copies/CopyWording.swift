import Foundation

/// The copy detector's evidence and calibration as sentences, for the terminal and the report's
/// English text (the report's other languages word the same numbers in their locale files).
public enum CopyWording {
    /// "copy similarity 0.991 (flagged from 0.978), 0.120 ahead of the next cover (flagged from 0.076)".
    public static func evidence(_ check: CopyCheck, _ calibration: CopyCalibration?) -> String {
        var text = String(format: "copy similarity %.3f", check.similarity)
        if let c = calibration { text += String(format: " (flagged from %.3f)", c.threshold) }
        text += String(format: ", %.3f ahead of the next popular cover", check.margin)
        if let c = calibration { text += String(format: " (flagged from %.3f)", c.marginThreshold) }
        return text
    }

    /// How the thresholds were set.
    public static func calibration(_ c: CopyCalibration) -> String {
        switch c.source {
        case .popularSet:
            String(format: "Near-duplicates: thresholds learned from the %d popular covers' own nearest neighbours (median %.3f), so that about %.1f in 1,000 distinct covers would pass each.",
                   c.popularCount, c.medianNearest ?? 0, c.tailShare * 1000)
        case .fixed:
            "Near-duplicates: only \(c.popularCount) popular covers, fewer than the \(CopyCalibration.minimumPopularCount) needed to learn thresholds from them; the fixed thresholds measured on generated covers are used."
        }
    }
}
