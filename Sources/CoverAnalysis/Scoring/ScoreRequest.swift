import Foundation
import Imaging

/// What `coverlens score` was asked to do, validated before any work starts.
public struct ScoreRequest: Sendable {
    /// A folder, or a collection in the shared store (`collection:NAME`).
    public var popular: CoverSetLocation
    public var candidates: URL
    public var other: CoverSetLocation?
    public var topK: Int = 5
    /// Seeds the palette and style-cluster k-means, and a collection's sample.
    public var seed: UInt64 = 0
    /// Above this many covers, a collection's set-wide analyses (palette, style clusters, feature
    /// distributions and percentiles, popularity percentiles, the average cover) run on a seeded
    /// uniform sample of this many (`SampleSummary` in the results says so); a candidate's top
    /// matches and copy check still search the whole collection. Folders are always read whole.
    public var sampleLimit = ScoreRequest.defaultSampleLimit
    public var followSymlinks = false
    public var limits: DecodeLimits = .default
    /// Compute Grad-CAM heatmaps for candidates (needs a trained head).
    public var attention = true

    /// 10,000 covers: their embeddings (1,280-d: 49 MB) and stored thumbnails (48×72: 99 MB) in
    /// memory, the popular set's leave-one-out similarity 10⁸ cosines, and a
    /// uniform sample of that size puts a percentile within about ±1 point (binomial, 95 %).
    public static let defaultSampleLimit = 10_000

    public init(popular: URL, candidates: URL, other: URL? = nil) {
        self.init(popular: .folder(popular), candidates: candidates, other: other.map { .folder($0) })
    }

    public init(popular: CoverSetLocation, candidates: URL, other: CoverSetLocation? = nil) {
        self.popular = popular
        self.candidates = candidates
        self.other = other
    }

    public enum RequestError: Error, CustomStringConvertible {
        case badTopK(Int)
        case badSampleLimit(Int)
        case noCovers(role: String, path: String, problems: Int)
        /// `collection:NAME` without a shared store to read it from.
        case collectionNeedsStore(flag: String, name: String)

        public var description: String {
            switch self {
            case .badTopK(let k): "--top-k must be at least 1 (got \(k))"
            case .badSampleLimit(let n): "--sample-limit must be at least 2 (got \(n))"
            case .collectionNeedsStore(let flag, let name):
                "\(flag) collection:\(name) is read from the shared store: give --store URL (or set COVERLENS_STORE)"
            case .noCovers(let role, let path, let problems):
                "\(path): the \(role) folder holds no usable covers" + (problems > 0 ? " (\(problems) files could not be used; see the list above)" : " (expected \(ImageFormat.acceptedList) files, recognised by their content)")
            }
        }
    }

    /// Checks the options and that no input folder is another or lies inside another
    /// (`InputOverlap`), before anything is read.
    public func validate() throws {
        guard topK >= 1 else { throw RequestError.badTopK(topK) }
        guard sampleLimit >= 2 else { throw RequestError.badSampleLimit(sampleLimit) }
        let folders: [(flag: String, url: URL)] = [("--popular", popular.folder), ("--candidates", candidates), ("--other", other?.folder)]
            .compactMap { flag, url in url.map { (flag, $0) } }
        try InputOverlap.check(folders)
    }
}
