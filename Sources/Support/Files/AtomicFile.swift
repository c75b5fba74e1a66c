import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so readers see either the old file or the complete new one, never a torn write.
///
/// The bytes go to a temporary file in the destination's folder (same file system, so `rename`
/// is atomic), are flushed with `fsync`, and only then renamed over the destination; the folder is
/// then flushed too, so after a power cut the new name is not lost while its bytes survive. A
/// crash, a SIGKILL or a full disk leaves the previous file intact and at most a hidden `.tmp` file behind.
/// Every file CoverLens writes for a user (results, figures, reports, models) goes through here.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        /// The reason given when the disk (or the user's quota) is full, so callers that keep
        /// only the reason string can still recognise it.
        public static let diskFullReason = "the disk is full"

        public let path: String
        public let reason: String
        /// ENOSPC or EDQUOT: the one failure whose remedy is freeing space, not fixing permissions.
        public var isDiskFull: Bool { reason == Self.diskFullReason }

        init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        init(path: String, errno code: Int32, context: String = "") {
            self.path = path
            reason = POSIXCause.isDiskFull(code) ? Self.diskFullReason : context + String(cString: strerror(code))
        }

        public var description: String {
            isDiskFull
                ? "\(path): cannot be written because the disk is full; free some space or choose another output folder"
                : "\(path): cannot be written (\(reason)); check the folder exists, is writable and the disk has space"
        }
    }

    public static func write(_ data: Data, to url: URL) throws {
        try write(chunks: [data], to: url)
    }

    public static func write(chunks: [Data], to url: URL) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(temporaryPattern(of: url).name(TemporaryName.token()))
        // open(2) rather than FileManager.createFile: Foundation creates files by an atomic write of
        // its own (a hidden `.dat.nosync…` file renamed into place), which a SIGKILL can leave behind.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(path: path, errno: errno, context: "cannot create a temporary file in \(folder.path): ")
        }
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
            do {
                for chunk in chunks { try handle.write(contentsOf: chunk) }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, path) == 0 else {
                throw WriteError(path: path, errno: errno)
            }
            synchronizeFolder(folder)
        } catch let error as WriteError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let code = POSIXCause.code(of: error) { throw WriteError(path: path, errno: code) }
            throw WriteError(path: path, reason: error.localizedDescription)
        }
    }

    /// Deletes the hidden temporaries (`.<name>.<token>.tmp`) that runs killed while writing one of
    /// `files` left in its folder, sparing those of a process that is still writing (`TemporaryName`).
    public static func removeAbandonedTemporaries(of files: [URL]) {
        for (folder, inFolder) in Dictionary(grouping: files, by: { $0.deletingLastPathComponent() }) {
            TemporaryName.removeAbandoned(in: folder, patterns: inFolder.map(temporaryPattern))
        }
    }

    /// How `write` names the temporary for `file`: `.<name>.<token>.tmp`, hidden, beside it.
    private static func temporaryPattern(of file: URL) -> TemporaryName.Pattern {
        TemporaryName.Pattern(prefix: ".\(file.lastPathComponent).", suffix: ".tmp")
    }

    /// Flushes the folder's entries (the rename) to disk. Best effort: the file itself is already
    /// complete and in place, and some file systems refuse `fsync` on a folder (EINVAL).
    private static func synchronizeFolder(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
