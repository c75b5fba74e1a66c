import Foundation
import Testing

/// A tiny tmpfs, nearly filled, for "the disk is full" tests. Mounting needs root (CI containers
/// run as root); elsewhere `mount` fails and the tests that need it are skipped, saying why.
struct FullDisk {
    let folder: URL

    /// Whether this process can mount a tmpfs (root, and a container that allows `mount`), tried
    /// once on a scratch folder.
    static let canMount: Bool = {
        guard CLI.isRoot else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-mount-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) else { return false }
        return run("/bin/umount", [probe.path])
    }()

    /// The skip reason of the tests that need `canMount`.
    static let cannotMount: Comment = "needs root and a container that allows mounting a tmpfs"

    /// Mounts a 64 KB tmpfs at `folder`, writes `keeping` (name → contents) into it, then fills
    /// all but 4 KB; nil when mounting fails.
    init?(at folder: URL, keeping: [String: Data] = [:]) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard CLI.isRoot, Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) else { return nil }
        for (name, contents) in keeping { try contents.write(to: folder.appendingPathComponent(name)) }
        try Data(count: 60 * 1024 - keeping.count * 4096).write(to: folder.appendingPathComponent("filler"))
    }

    func unmount() {
        _ = Self.run("/bin/umount", [folder.path])
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        CLI.tool(tool, arguments)?.status == 0
    }
}
