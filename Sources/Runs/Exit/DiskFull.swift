import CoverAnalysis
import Foundation
import Networks
import Reports
import Support
#if canImport(Glibc)
import Glibc
#endif

/// A full disk, recognised in whichever library error carries it, as one sentence that says
/// what to do (exit status 6). Libraries keep only a reason string in some of their errors, so
/// this looks for the two ways that string says "full": AtomicFile's reason and strerror(ENOSPC).
public enum DiskFull {
    public static func sentence(_ path: String) -> String {
        "\(path): cannot be written because the disk is full; free some space or choose another output folder"
    }

    /// The sentence for `error` when it is a full disk, else nil.
    public static func message(for error: Error) -> String? {
        switch error {
        case let error as AtomicFile.WriteError where error.isDiskFull: sentence(error.path)
        case CheckpointError.writeFailed(let path, let reason) where saysFull(reason): sentence(path)
        case ReportError.writeFailed(let path, let reason) where saysFull(reason): sentence(path)
        case EmbeddingStore.StoreError.diskFull: "\(error)"
        default: nil
        }
    }

    private static func saysFull(_ reason: String) -> Bool {
        reason.contains(AtomicFile.WriteError.diskFullReason)
            || [ENOSPC, EDQUOT].contains { reason.contains(String(cString: strerror($0))) }
    }
}
