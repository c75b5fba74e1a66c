import Foundation
import Runs

/// How a run is shown on the command line: progress bars on standard error, results on standard
/// output, warnings and skipped files on standard error.
struct TerminalObserver: RunObserver {
    let bar = ProgressBar()

    func progress(_ phase: String, done: Int, total: Int, detail: String) {
        bar.update(phase, done, total, detail: detail)
    }

    func say(_ line: String) { print(line) }

    func warn(_ line: String) { printError(line) }
}
