import Foundation

/// A one-line progress bar on standard error: phase (in full), bar, count, rate with its unit, and
/// time left.
///
/// On a terminal it redraws in place (at most ten times a second); when standard error is a file
/// or a pipe (CI logs) it prints a plain line at each 10% step instead, so logs stay readable.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive = isatty(2) != 0
    private var phase = ""
    private var start = Date()
    private var lastDraw = Date.distantPast
    private var lastDecile = -1
    private let width = 28
    var quiet = false

    /// Shows `done` of `total` for `phase`; a new phase name starts a new line and clock.
    func update(_ phase: String, _ done: Int, _ total: Int, detail: String = "") {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        if phase != self.phase {
            if interactive && !self.phase.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
            self.phase = phase
            start = Date()
            lastDecile = -1
        }
        let now = Date()
        let finished = done >= total
        if interactive {
            guard finished || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let fraction = total > 0 ? Double(done) / Double(total) : 1
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = "\r\u{1B}[2K" + Self.joined([phase, bar, "\(done)/\(total)", rateAndETA(phase, done, total, now), detail])
            FileHandle.standardError.write(Data(line.utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)); self.phase = "" }
        } else {
            let decile = total > 0 ? done * 10 / total : 10
            guard decile != lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data((Self.joined(["\(phase):", "\(done)/\(total)", rateAndETA(phase, done, total, now), detail]) + "\n").utf8))
        }
    }

    /// What a phase counts, for its rate: a training epoch's steps are batches, the training
    /// summary's are epochs, the report's are its writing steps, every other phase counts covers.
    static func unit(_ phase: String) -> String {
        if phase.hasPrefix("epoch ") { return "batches" }
        switch phase {
        case "train": return "epochs"
        case "report": return "steps"
        default: return "covers"
        }
    }

    private func rateAndETA(_ phase: String, _ done: Int, _ total: Int, _ now: Date) -> String {
        let elapsed = now.timeIntervalSince(start)
        // A rate from the first few milliseconds of a phase says little, so it waits 50 ms; a finished
        // phase always shows its rate and time, however short (three covers can take less than 50 ms).
        guard done > 0, elapsed > 0, done >= total || elapsed > 0.05 else { return "" }
        let rate = Double(done) / elapsed
        let left = Double(total - done) / rate
        return String(format: "%.1f", rate) + " \(Self.unit(phase))/s" + (done < total ? ", \(Self.duration(left)) left" : ", \(Self.duration(elapsed))")
    }

    /// The non-empty parts, one space apart.
    static func joined(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

/// Writes a line to standard error (messages, warnings, skipped files), keeping stdout for results.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
