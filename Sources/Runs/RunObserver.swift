import CoverAnalysis

/// What a run tells the person who started it while it works.
///
/// The run types (`ScoreRun`, `TrainRun`, `EvaluateRun`, `DemoRun`) do the job and decide what is
/// said; whoever watches decides how: the command line draws a progress bar on standard error and
/// prints results on standard output, a test collects the lines.
public protocol RunObserver: Sendable {
    /// `done` of `total` items of `phase` (a new phase name starts a new bar), with a short detail
    /// such as the running loss.
    func progress(_ phase: String, done: Int, total: Int, detail: String)
    /// A line of results: tables, where files were written (standard output).
    func say(_ line: String)
    /// A warning, a skipped file (standard error).
    func warn(_ line: String)
    /// What a run is using and doing, for `--verbose` (the model, the cache, the settings); most
    /// observers ignore it.
    func detail(_ line: String)
}

extension RunObserver {
    public func detail(_ line: String) {}

    public func progress(_ phase: String, done: Int, total: Int) {
        progress(phase, done: done, total: total, detail: "")
    }

    /// One "skipped FOLDER/FILE: REASON" line per file that could not be used.
    func warnSkipped(_ skipped: [SkippedFile]) {
        for s in skipped { warn("skipped \(s.folder)/\(s.file): \(s.reason)") }
    }

    /// "warning FOLDER/FILE: WHAT IS MISSING" for a cover used although its data ended early.
    public func warnCutShort(_ file: SkippedFile) {
        warn("warning \(file.folder)/\(file.file): \(file.reason)")
    }
}
