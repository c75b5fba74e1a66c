import CoverAnalysis
import Foundation

/// The table `score` and `demo` print: what was scored against what, one line per candidate (and a
/// line of evidence under each near-duplicate), then how the copy detector's thresholds were set.
public enum ScoreSummary {
    /// The lines of the table, in order.
    public static func lines(_ result: AnalysisResult) -> [String] {
        let label = result.popularity == .trainedHead ? "p(popular)" : "similarity"
        var lines = [
            "\(result.candidates.count) candidates scored against \(result.dataset.popularCount) popular covers"
                + (result.dataset.otherCount > 0 ? " and \(result.dataset.otherCount) others" : "") + " (\(result.model.architecture))",
            result.popularity.explanation,
        ]
        for (role, sample) in [("popular", result.dataset.popularSample), ("other", result.dataset.otherSample)] {
            guard let sample else { continue }
            lines.append("the \(role) collection holds \(sample.total) covers: its palette, style clusters and percentiles use a seeded "
                         + "uniform sample of \(sample.size) (seed \(sample.seed); --sample-limit)"
                         + (role == "popular" ? "; top matches and copies were searched in all of it" : ""))
        }
        lines += [
            pad("candidate", 34) + pad(label, 12) + pad("pct popular", 13) + "best match",
        ]
        for c in result.candidates {
            let best = c.matches.first.map { "\($0.file) (\(String(format: "%.3f", $0.cosine)))" } ?? "-"
            lines.append(pad(c.file, 34) + pad(String(format: "%.3f", c.popularity), 12)
                         + pad(String(format: "%.0f", c.percentileAmongPopular), 13) + best)
            if c.nearDuplicate, let copy = c.copyCheck {
                lines.append("  NEAR-DUPLICATE of \(copy.file): " + CopyWording.evidence(copy, result.settings.copyDetection))
            }
        }
        if let calibration = result.settings.copyDetection { lines.append(CopyWording.calibration(calibration)) }
        return lines
    }

    /// `text` cut or padded to `width` terminal columns (at least one space after it); Hangul, CJK
    /// and other wide characters take two columns, and a cut is marked with "…".
    public static func pad(_ text: String, _ width: Int) -> String {
        var shown = "", used = 0
        for character in text {
            let w = columns(character)
            if used + w > width - 2 { shown += "…"; used += 1; break }
            shown.append(character)
            used += w
        }
        return shown + String(repeating: " ", count: max(1, width - used))
    }

    /// Terminal columns `character` takes: two for East Asian wide characters and emoji, else one.
    public static func columns(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD: return 2
        default: return 1
        }
    }
}
