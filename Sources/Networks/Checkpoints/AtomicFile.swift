import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so readers see either the old file or the complete new one, never a torn write.
///
/// The bytes go to a temporary file in the destination's folder (same file system, so `rename`
/// is atomic), are flushed to disk with `fsync`, and only then renamed over the destination.
/// A crash or a full disk leaves the old model file intact.
enum AtomicFile {
    static func write(to url: URL, chunks: [Data]) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CheckpointError.writeFailed(path: path, reason: "cannot create a temporary file in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                for chunk in chunks { try handle.write(contentsOf: chunk) }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, path) == 0 else {
                throw CheckpointError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as CheckpointError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
