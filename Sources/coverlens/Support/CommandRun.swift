import ArgumentParser
import CoverAnalysis
import Runs

extension ExitStatus {
    /// Runs a command's job: an error is printed as one sentence and exits with the status that fits
    /// it (`classify`); a job that skipped files exits 3 after finishing.
    static func run(_ job: () throws -> [SkippedFile]) throws {
        let skipped: [SkippedFile]
        do {
            skipped = try job()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
        let status = finished(skipped: skipped)
        if status != 0 { throw ExitCode(status) }
    }

    /// Prints `error` as one sentence and returns the exit code that fits it.
    static func fail(_ error: Error) -> ExitCode {
        let (status, message) = classify(error)
        printError("error: \(message)")
        return ExitCode(status)
    }
}
