import Foundation

/// The image files under a folder, found the same way by every command.
///
/// Walks recursively in a stable order (paths sorted bytewise, so runs and machines agree on row
/// order) and judges every regular file by its first bytes, whatever its name: a TIFF called
/// `cover.dat` is a cover, a text file called `notes.jpg` reaches the decoder, which says what is
/// wrong with it. Entries it cannot use are reported instead of failing: an unreadable folder, a
/// symlink loop, a symlink leading outside the folder (followed only with `followSymlinks`), a
/// directory named like an image. Nothing is left out in silence: hidden entries (`.DS_Store`,
/// `.git`), files that are not images and entries that are not regular files are listed in
/// ``ignored``, so a command can count and name them.
public struct ImageFolder: Sendable {
    /// Extensions that make a file a candidate image whatever its bytes (lower-case, without the
    /// dot), so a damaged `cover.tif` is reported by the decoder; other files are judged by content.
    public static let imageExtensions: Set<String> = [
        "jpg", "jpeg", "jpe", "jfif", "png", "webp", "tif", "tiff", "heic", "heif", "avif", "pdf",
    ]

    public let root: URL
    /// Image files, sorted by `relativePath`.
    public private(set) var files: [Entry] = []
    /// Entries that looked like images or folders but cannot be used, with the reason.
    public private(set) var problems: [Problem] = []
    /// Entries that are not covers and were left alone on purpose (hidden, not an image, not a
    /// regular file), with the reason; not errors, but a command names them.
    public private(set) var ignored: [Problem] = []

    public struct Entry: Sendable, Hashable {
        public let url: URL
        /// Path relative to `root`, with `/` separators: what results and reports show.
        public let relativePath: String
    }

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public enum FolderError: Error, CustomStringConvertible {
        case missing(String)
        case notAFolder(String)
        case unreadable(String, String)

        public var description: String {
            switch self {
            case .missing(let p): "\(p): no such folder; check the path"
            case .notAFolder(let p): "\(p): is a file, not a folder of covers"
            case .unreadable(let p, let why): "\(p): cannot be read (\(why)); check its permissions"
            }
        }
    }

    /// Lists `root`. Throws only when `root` itself is unusable; problems below it are collected.
    public init(_ root: URL, followSymlinks: Bool = false) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw FolderError.missing(root.path)
        }
        guard isDirectory.boolValue else { throw FolderError.notAFolder(root.path) }
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
        var visited: Set<String> = [self.root.path]
        try walk(self.root, relative: "", followSymlinks: followSymlinks, visited: &visited, isRoot: true)
        files.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        problems.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        ignored.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private mutating func walk(_ folder: URL, relative: String, followSymlinks: Bool,
                               visited: inout Set<String>, isRoot: Bool = false) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            let why = (error as NSError).localizedFailureReason ?? "permission denied or vanished"
            if isRoot { throw FolderError.unreadable(folder.path, why) }
            problems.append(Problem(path: relative, reason: "folder cannot be read (\(why))"))
            return
        }
        for name in names {
            let url = folder.appendingPathComponent(name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            if name.hasPrefix(".") {
                ignored.append(Problem(path: rel, reason: "hidden, not read"))
                continue
            }
            let looksLikeImage = Self.imageExtensions.contains(url.pathExtension.lowercased())
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  let type = attributes[.type] as? FileAttributeType else {
                if looksLikeImage { problems.append(Problem(path: rel, reason: "cannot be read")) }
                continue
            }
            var target = url
            var targetType = type
            if type == .typeSymbolicLink {
                let resolved = url.resolvingSymlinksInPath()
                guard let resolvedAttributes = try? FileManager.default.attributesOfItem(atPath: resolved.path),
                      let resolvedType = resolvedAttributes[.type] as? FileAttributeType,
                      resolvedType != .typeSymbolicLink else {
                    problems.append(Problem(path: rel, reason: "broken symlink or symlink loop; skipped"))
                    continue
                }
                if !followSymlinks && !isInside(resolved, root) {
                    problems.append(Problem(
                        path: rel, reason: "symlink to \(resolved.path), outside the folder; skipped (use --follow-symlinks to follow it)"))
                    continue
                }
                target = resolved
                targetType = resolvedType
            }
            switch targetType {
            case .typeDirectory:
                let key = target.standardizedFileURL.path
                if visited.contains(key) {
                    problems.append(Problem(path: rel, reason: "folder already visited (symlink loop); skipped"))
                } else if looksLikeImage {
                    problems.append(Problem(path: rel, reason: "is a folder, not an image file"))
                    visited.insert(key)
                    try walk(target, relative: rel, followSymlinks: followSymlinks, visited: &visited)
                } else {
                    visited.insert(key)
                    try walk(target, relative: rel, followSymlinks: followSymlinks, visited: &visited)
                }
            case .typeRegular:
                if looksLikeImage {
                    files.append(Entry(url: url, relativePath: rel))
                } else if let reason = Self.notAnImage(target) {
                    ignored.append(Problem(path: rel, reason: reason))
                } else {
                    files.append(Entry(url: url, relativePath: rel))
                }
            default:
                ignored.append(Problem(path: rel, reason: "not a regular file (\(Self.describe(targetType))), not read"))
            }
        }
    }

    /// Why a file without an image extension is not a cover, from its first bytes; nil when they
    /// say image (or document) of any kind, so the decoder can use it or say why not.
    static func notAnImage(_ url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "cannot be read" }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 32)) ?? Data())
        if head.isEmpty { return "an empty file, not an image" }
        if case .unknown = ImageFormat.sniff(head) {
            return "not an image (it starts with \(ImageFormat.describeStart(head)))"
        }
        return nil
    }

    private static func describe(_ type: FileAttributeType) -> String {
        switch type {
        case .typeSocket: "a socket"
        case .typeCharacterSpecial, .typeBlockSpecial: "a device"
        default: "a named pipe or other special file"
        }
    }

    private func isInside(_ url: URL, _ folder: URL) -> Bool {
        let path = url.standardizedFileURL.path
        let base = folder.standardizedFileURL.path
        return path == base || path.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }
}
