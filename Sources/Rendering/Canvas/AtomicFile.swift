import Foundation

/// Write-then-rename, so a figure or report file is either the old one or the complete new one.
enum AtomicFile {
    /// Calls `write` with a temporary URL in `url`'s folder, then renames it over `url`.
    static func write(to url: URL, _ write: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try write(temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw RenderingError.writeFailed(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
