import Foundation

/// Input folders given for different roles must not share covers by place: the same folder as
/// `--popular` and `--candidates` makes every candidate a near-duplicate of itself, and a folder
/// inside another is read twice under two labels. Checked before anything is read.
public enum InputOverlap {
    public struct OverlapError: Error, CustomStringConvertible, Equatable {
        public var first: (flag: String, path: String)
        public var second: (flag: String, path: String)
        /// True when the two are one folder (else `second` lies inside `first`).
        public var same: Bool

        public init(first: (flag: String, path: String), second: (flag: String, path: String), same: Bool) {
            self.first = first
            self.second = second
            self.same = same
        }

        public static func == (a: OverlapError, b: OverlapError) -> Bool {
            a.first == b.first && a.second == b.second && a.same == b.same
        }

        public var description: String {
            same
                ? "\(first.flag) and \(second.flag) are the same folder (\(first.path)); give each role its own folder"
                : "\(second.flag) \(second.path) is inside \(first.flag) \(first.path); give each role a folder of its own, not one inside another"
        }
    }

    /// Throws for the first pair of `inputs` (flag, folder) that is one folder or nested, after
    /// resolving `.`, `..` and symlinks.
    public static func check(_ inputs: [(flag: String, url: URL)]) throws {
        let resolved = inputs.map { (flag: $0.flag, path: $0.url.path, parts: canonical($0.url)) }
        for i in resolved.indices {
            for j in resolved.indices where j > i {
                let a = resolved[i], b = resolved[j]
                if a.parts == b.parts {
                    throw OverlapError(first: (a.flag, a.path), second: (b.flag, b.path), same: true)
                }
                if b.parts.starts(with: a.parts) {
                    throw OverlapError(first: (a.flag, a.path), second: (b.flag, b.path), same: false)
                }
                if a.parts.starts(with: b.parts) {
                    throw OverlapError(first: (b.flag, b.path), second: (a.flag, a.path), same: false)
                }
            }
        }
    }

    /// The folder's absolute path as components, symlinks resolved where the path exists.
    static func canonical(_ url: URL) -> [String] {
        let absolute = url.path.hasPrefix("/") ? url
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(url.path)
        return absolute.standardizedFileURL.resolvingSymlinksInPath().pathComponents.filter { $0 != "/" }
    }
}
