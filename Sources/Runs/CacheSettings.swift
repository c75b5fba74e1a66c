import CoverAnalysis
import Foundation

/// Which embedding cache a run reads and writes: a SQLite file, or none.
public struct CacheSettings: Sendable {
    /// The cache file; nil runs without one (`--no-cache`).
    public var file: URL?
    /// Delete the cache before the run (`--rebuild-cache`).
    public var rebuild = false

    public init(file: URL?, rebuild: Bool = false) {
        self.file = file
        self.rebuild = rebuild
    }

    /// No cache: everything is computed and nothing is kept.
    public static let none = CacheSettings(file: nil)

    /// The store, or nil without a file. A damaged cache is set aside with one warning and
    /// rebuilt: it holds nothing that cannot be computed again.
    public func open(_ observer: some RunObserver) throws -> EmbeddingStore? {
        guard let file else { return nil }
        let (store, setAside) = try EmbeddingStore.open(url: file, rebuild: rebuild)
        if let setAside { observer.warn("warning: \(setAside)") }
        return store
    }
}
