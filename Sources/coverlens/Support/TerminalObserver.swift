import Foundation
import Runs

/// How a run is shown on the command line: progress bars on standard error, results on standard
/// output, warnings and skipped files on standard error.
///
/// `--quiet` keeps only errors (printed by `ExitStatus`); `--verbose` adds the run's details;
/// `--json` moves the result lines to standard error and collects the warnings for the one JSON
/// document printed on standard output at the end (`RunDocument`).
final class TerminalObserver: RunObserver, @unchecked Sendable {
    let bar = ProgressBar()
    let options: OutputMode
    private let lock = NSLock()
    private var collected: [String] = []

    init(_ options: OutputMode = OutputMode()) {
        self.options = options
        bar.quiet = options.quiet
    }

    /// Every warning said so far, in order (for the JSON document).
    var warnings: [String] { lock.withLock { collected } }

    func progress(_ phase: String, done: Int, total: Int, detail: String) {
        bar.update(phase, done, total, detail: detail)
    }

    func say(_ line: String) {
        guard !options.quiet else { return }
        if options.json { printError(line) } else { print(line) }
    }

    func warn(_ line: String) {
        lock.withLock { collected.append(line) }
        if !options.quiet { printError(line) }
    }

    func detail(_ line: String) {
        if options.verbose { printError(line) }
    }
}
