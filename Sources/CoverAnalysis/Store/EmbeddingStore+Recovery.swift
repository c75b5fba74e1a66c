import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opening the cache the way the commands do: a file that is not a usable cache is renamed out of
/// the way and a fresh cache starts in its place.
///
/// The cache only holds what CoverLens can compute again, so a damaged one should cost a rebuild,
/// not the run. It is renamed rather than deleted: the path may be a file the user cares about
/// (another program's database given to --cache by mistake), and a damaged cache is evidence.
extension EmbeddingStore {
    /// A cache file that could not be used and was renamed, for the one warning a command prints.
    public struct SetAside: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var movedTo: String
        public var reason: String

        public var description: String {
            "\(path) is not a usable embedding cache (\(reason)); it was moved to \(movedTo) and will be rebuilt"
        }
    }

    /// Opens (or creates) the store at `url`, as `init(url:rebuild:)` does; a damaged file is
    /// renamed to `<file>.damaged` (`.damaged-2`, … when taken), with its `-wal` and `-shm`
    /// companions, and an empty store opens in its place.
    /// - Throws: `StoreError.cannotSetAside` when the rename fails (read-only folder), and the
    ///   initialiser's other errors.
    public static func open(url: URL, rebuild: Bool = false) throws -> (store: EmbeddingStore, setAside: SetAside?) {
        do {
            return (try EmbeddingStore(url: url, rebuild: rebuild), nil)
        } catch StoreError.damaged(let path, let reason) {
            let target = try setAside(url, reason: reason)
            return (try EmbeddingStore(url: url), SetAside(path: path, movedTo: target.path, reason: reason))
        }
    }

    /// Renames the cache and its SQLite companions to the first free `.damaged` name. The log must
    /// go too: SQLite would replay a stale `-wal` into the fresh cache.
    static func setAside(_ url: URL, reason: String) throws -> URL {
        let companions = ["", "-wal", "-shm"]
        let fm = FileManager.default
        var target = URL(fileURLWithPath: url.path + ".damaged")
        var attempt = 2
        while companions.contains(where: { fm.fileExists(atPath: target.path + $0) }) {
            target = URL(fileURLWithPath: url.path + ".damaged-\(attempt)")
            attempt += 1
        }
        for suffix in companions where suffix.isEmpty || fm.fileExists(atPath: url.path + suffix) {
            guard rename(url.path + suffix, target.path + suffix) == 0 else {
                let cause = String(cString: strerror(errno))
                throw StoreError.cannotSetAside(path: url.path, detail: reason, cause: cause)
            }
        }
        return target
    }
}
