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

    /// Runs a command that can print a JSON document (`--json`): the job's document, or one with
    /// the error, goes to standard output with the exit status and the warnings `output` collected.
    static func run(_ output: TerminalObserver, command: String, _ job: () throws -> RunDocument) throws {
        var document: RunDocument
        do {
            document = try job()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let (status, message) = classify(error)
            printError("error: \(message)")
            if output.options.json {
                var failed = RunDocument(command: command)
                failed.status = status
                failed.error = message
                failed.warnings = output.warnings
                print(failed.text)
            }
            throw ExitCode(status)
        }
        document.status = finished(skipped: document.skipped)
        document.warnings = output.warnings
        if output.options.json { print(document.text) }
        if document.status != 0 { throw ExitCode(document.status) }
    }

    /// Prints `error` as one sentence and returns the exit code that fits it.
    static func fail(_ error: Error) -> ExitCode {
        let (status, message) = classify(error)
        printError("error: \(message)")
        return ExitCode(status)
    }
}
