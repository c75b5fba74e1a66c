import ArgumentParser
import CoverAnalysis
import Foundation
import Support
import Imaging
import Networks
import Reports
import Tensors

/// Exit statuses, the same for every command (listed in `coverlens --help`).
enum ExitStatus {
    static let skippedFiles: Int32 = 3
    static let badInput: Int32 = 4
    static let badModel: Int32 = 5
    static let cannotWrite: Int32 = 6

    static let help = """
        Exit status: 0 done; 1 failed for another reason; 3 done, but some files were skipped (listed \
        with their reasons); 4 an input folder is missing, empty or unusable; 5 the model file is missing \
        or not a usable model; 6 an output file cannot be written (permissions, full disk); 64 bad arguments.
        """

    /// Prints `error` as one sentence and exits with the status that fits it.
    static func fail(_ error: Error) -> ExitCode {
        let (status, message) = classify(error)
        printError("error: \(message)")
        return ExitCode(status)
    }

    /// The exit status for `error`, and its message (Foundation write errors get a readable one).
    static func classify(_ error: Error) -> (status: Int32, message: String) {
        if let full = DiskFull.message(for: error) { return (cannotWrite, full) }
        switch error {
        case is ImageFolder.FolderError, is ScoreRequest.RequestError, is LabelledFolders.LayoutError,
             is TrainingConfigError, is TrainingCheckpoint.CheckpointFileError: return (badInput, "\(error)")
        case CheckpointError.writeFailed: return (cannotWrite, "\(error)")
        case is CoverModel.ModelError, is CheckpointError, is CoverEvaluator.EvaluationError: return (badModel, "\(error)")
        case is AtomicFile.WriteError, ReportError.writeFailed, ReportError.notABundle: return (cannotWrite, "\(error)")
        // The cache is written by every run that embeds: one that cannot be opened, replaced or
        // kept is an output that cannot be written.
        case is EmbeddingStore.StoreError: return (cannotWrite, "\(error)")
        default:
            if let write = WriteFailure(error) { return (cannotWrite, write.description) }
            return (ExitCode.failure.rawValue, "\(error)")
        }
    }
}
