import CoverAnalysis
import Foundation
import Imaging
import Networks
import Reports
import Store
import Support

/// Exit statuses, the same for every command (listed in `coverlens --help`), and which one an
/// error means.
public enum ExitStatus {
    public static let failure: Int32 = 1
    public static let skippedFiles: Int32 = 3
    public static let badInput: Int32 = 4
    public static let badModel: Int32 = 5
    public static let cannotWrite: Int32 = 6
    /// ArgumentParser's status for bad arguments (sysexits' EX_USAGE).
    public static let usage: Int32 = 64

    public static let help = """
        Exit status: 0 done; 1 failed for another reason; 3 done, but some files were skipped (listed \
        with their reasons); 4 an input file or folder is missing, empty or unusable; 5 the model file is missing \
        or not a usable model; 6 an output file or folder cannot be written (permissions, full disk, a file in \
        the way); with --store: 7 the store cannot be reached, 8 it refused the login, 9 it lacks pgvector, \
        10 its tables are from a newer CoverLens, 11 a vector length or model does not match the store's, \
        12 the connection was lost for good, 13 it could not build an index (out of memory or disk); 64 bad \
        arguments or option values (the message names the flag).
        """

    /// The status for a run that finished: 3 when it left files out, else 0.
    public static func finished(skipped: [SkippedFile]) -> Int32 {
        skipped.isEmpty ? 0 : skippedFiles
    }

    /// The exit status for `error`, and its message (Foundation write errors get a readable one).
    public static func classify(_ error: Error) -> (status: Int32, message: String) {
        if let full = DiskFull.message(for: error) { return (cannotWrite, full) }
        switch error {
        case is InputOverlap.OverlapError, ScoreRequest.RequestError.badTopK, ScoreRequest.RequestError.badSampleLimit,
             ScoreRequest.RequestError.collectionNeedsStore: return (usage, "\(error)")
        case let error as TrainingConfigError where error.flag != nil: return (usage, error.usage)
        case is OutputLocation.Unusable: return (cannotWrite, "\(error)")
        case is ImageFolder.FolderError, is ScoreRequest.RequestError, is AnalysisResult.FileError, is LabelledFolders.LayoutError,
             is TrainingConfigError, is TrainingCheckpoint.CheckpointFileError: return (badInput, "\(error)")
        case CheckpointError.writeFailed: return (cannotWrite, "\(error)")
        case is CoverModel.ModelError, is CheckpointError, is CoverEvaluator.EvaluationError: return (badModel, "\(error)")
        case is AtomicFile.WriteError, ReportError.writeFailed, ReportError.notABundle: return (cannotWrite, "\(error)")
        // The cache is written by every run that embeds: one that cannot be opened, replaced or
        // kept is an output that cannot be written.
        case is EmbeddingStore.StoreError: return (cannotWrite, "\(error)")
        case let error as StoreError: return (error.exitStatus, error.description)
        case is StoreLocation.LocationError, is Shard.ShardError: return (64, "\(error)")
        default:
            if let write = WriteFailure(error) { return (cannotWrite, write.description) }
            return (failure, "\(error)")
        }
    }
}
