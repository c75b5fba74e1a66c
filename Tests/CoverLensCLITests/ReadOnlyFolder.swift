import Foundation

/// A folder nobody can write to, root included, for "cannot be replaced" tests: as root a small
/// tmpfs remounted read-only (root ignores mode 555), otherwise mode 555.
struct ReadOnlyFolder {
    let folder: URL
    private let mounted: Bool

    /// Creates `folder`, lets `fill` put files in it, then makes it read-only; nil when root
    /// cannot mount a tmpfs (a container without the capability).
    init?(at folder: URL, fill: (URL) throws -> Void) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        mounted = CLI.isRoot
        if mounted {
            guard CLI.tool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.path])?.status == 0 else { return nil }
            try fill(folder)
            guard CLI.tool("/bin/mount", ["-o", "remount,ro", folder.path])?.status == 0 else {
                _ = CLI.tool("/bin/umount", [folder.path])
                return nil
            }
        } else {
            try fill(folder)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        }
    }

    /// Makes the folder ordinary again, so the test's clean-up can remove it.
    func release() {
        if mounted {
            _ = CLI.tool("/bin/umount", [folder.path])
        } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
    }
}
