import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Networks
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
        printError("error: \(error)")
        switch error {
        case is ImageFolder.FolderError, is ScoreRequest.RequestError, is LabelledFolders.LayoutError,
             is TrainingConfigError, is TrainingCheckpoint.CheckpointFileError: return ExitCode(badInput)
        case is CoverModel.ModelError, is CheckpointError, is CoverEvaluator.EvaluationError: return ExitCode(badModel)
        case is AtomicFile.WriteError: return ExitCode(cannotWrite)
        default: return ExitCode.failure
        }
    }
}
