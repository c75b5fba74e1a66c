import Foundation

/// A tiny tmpfs, nearly filled, for "the disk is full" tests. Mounting needs root (CI containers
/// run as root); elsewhere `mount` fails and the caller skips with a note.
struct FullDisk {
    let folder: URL

    /// Mounts a 64 KB tmpfs at `folder` and fills all but 4 KB of it; nil when mounting fails.
    init?(at folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard CLI.isRoot, Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) else { return nil }
        try Data(count: 60 * 1024).write(to: folder.appendingPathComponent("filler"))
    }

    func unmount() {
        _ = Self.run("/bin/umount", [folder.path])
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        CLI.tool(tool, arguments)?.status == 0
    }
}
