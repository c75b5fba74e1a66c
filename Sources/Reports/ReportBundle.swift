import Foundation

/// What a finished report consists of.
public struct ReportBundle: Sendable {
    /// `Output/<name>/`.
    public var folder: URL
    /// `Output/<name>.zip`, holding the same files under `<name>/`.
    public var zip: URL
    /// Files in the folder, relative and sorted.
    public var files: [String]
    /// Covers the report names but could not show (moved or deleted since the scoring run; their
    /// tiles are plain panels), as "role/file", sorted.
    public var missingCovers: [String] = []
}
