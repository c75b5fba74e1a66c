import CoverAnalysis
import Foundation
import Store
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Which store a run reads and writes per-cover results in: the shared PostgreSQL store when one
/// is given (`--store`, `COVERLENS_STORE`), else a SQLite cache file, or none.
public struct CacheSettings: Sendable {
    /// The cache file; nil runs without one (`--no-cache`).
    public var file: URL?
    /// Delete the cache before the run (`--rebuild-cache`).
    public var rebuild = false
    /// The file is the default (`DefaultPaths.store`), not one the user named: when it cannot be
    /// used (a read-only home, a full disk) the run goes on without a cache, with one warning,
    /// instead of stopping over a file nobody asked for.
    public var isDefault = false
    /// The shared store; when set it is used instead of the cache file.
    public var store: StoreLocation?

    public init(file: URL?, rebuild: Bool = false, isDefault: Bool = false, store: StoreLocation? = nil) {
        self.file = file
        self.rebuild = rebuild
        self.isDefault = isDefault
        self.store = store
    }

    /// The default cache (`DefaultPaths.store`), which falls back to none when unusable.
    public static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment, rebuild: Bool = false) -> CacheSettings {
        CacheSettings(file: DefaultPaths.store(environment: environment), rebuild: rebuild, isDefault: true)
    }

    /// No cache: everything is computed and nothing is kept.
    public static let none = CacheSettings(file: nil)

    /// The store, or nil without a file. A damaged cache is set aside with one warning and
    /// rebuilt: it holds nothing that cannot be computed again.
    ///
    /// Opened before any cover is decoded, so a cache named with --cache that cannot be used stops
    /// the run at once; the default one is given up with one warning instead (`isDefault`).
    ///
    /// The shared store is never given up or rebuilt from here: its problems stop the run with
    /// their own exit status.
    public func open(_ observer: some RunObserver) throws -> (any CoverStore)? {
        if let store {
            let opened = try PostgresStore(location: store)
            observer.detail("store: \(store.redacted)")
            return opened
        }
        guard let file else {
            observer.detail("embedding cache: none (--no-cache)")
            return nil
        }
        do {
            if isDefault { try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true) }
            let (store, setAside) = try EmbeddingStore.open(url: file, rebuild: rebuild)
            if let setAside { observer.warn("warning: \(setAside)") }
            observer.detail("embedding cache: \(file.path)")
            return store
        } catch where isDefault {
            let reason = (error as? EmbeddingStore.StoreError).map { "\($0)" }
                ?? POSIXCause.code(of: error).map { "\(file.path): \(String(cString: strerror($0)))" }
                ?? "\(file.path): \(error.localizedDescription)"
            observer.warn("warning: running without the embedding cache, because the default one cannot be used: \(reason). "
                          + "Nothing is kept for the next run; choose a cache with --cache FILE, or pass --no-cache to run without one and silence this")
            return nil
        }
    }
}
