import Foundation

/// The check a report folder passes before anything is computed for it: it is missing, empty, or
/// holds nothing but a previous CoverLens report (the rule `AtomicBundle` applies when it swaps the
/// new bundle in). `score --format json,csv` writes into the same folder and is held to it too.
public enum ReportDestination {
    /// Throws `ReportError.notABundle` when `folder` is a file or holds more than a report.
    public static func check(_ folder: URL) throws {
        try AtomicBundle(destination: folder).refuseToReplaceForeignFolder()
    }
}
