import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The unique part of a hidden temporary file or folder's name, `<pid>-<random>`, and the test of
/// whether a leftover with such a name was abandoned.
///
/// A run killed while writing (SIGKILL, a crash) leaves its temporaries behind, and the next run
/// should clear them; but a second CoverLens writing into the same folder at the same time owns
/// temporaries of the same shape, which must not be deleted under it. The writer's process id in
/// the name tells the two apart: if that process no longer exists, nobody will finish the file.
public enum TemporaryName {
    /// `<pid>-<8 random hex digits>` for this process.
    public static func token() -> String {
        "\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Whether the temporary whose name carries `token` (as made by `token()`) belongs to a process
    /// that has ended. A token without a process id (written by an older CoverLens) counts as
    /// abandoned once it is more than an hour old, as before.
    public static func isAbandoned(token: Substring, at url: URL) -> Bool {
        if let dash = token.firstIndex(of: "-"), let pid = pid_t(token[..<dash]), pid > 0 {
            if pid == getpid() { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date else {
            return false
        }
        return Date().timeIntervalSince(modified) > 3600
    }

    /// A temporary's name around its token: `<prefix><token><suffix>`.
    public struct Pattern: Sendable {
        public let prefix: String
        public let suffix: String

        public init(prefix: String, suffix: String = "") {
            self.prefix = prefix
            self.suffix = suffix
        }

        /// The name for `token`.
        public func name(_ token: String) -> String { prefix + token + suffix }

        /// The token of `name` if it has this pattern's shape.
        func token(in name: String) -> Substring? {
            guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            return name.dropFirst(prefix.count).dropLast(suffix.count)
        }
    }

    /// Deletes the entries of `folder` that have one of `patterns` and were abandoned (`isAbandoned`):
    /// what runs killed while writing there left behind. One listing of the folder for all patterns.
    public static func removeAbandoned(in folder: URL, patterns: [Pattern]) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let token = patterns.lazy.compactMap({ $0.token(in: name) }).first else { continue }
            let url = folder.appendingPathComponent(name)
            if isAbandoned(token: token, at: url) { try? fm.removeItem(at: url) }
        }
    }
}
