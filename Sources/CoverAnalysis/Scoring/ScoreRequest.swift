import Foundation
import Imaging

/// What `coverlens score` was asked to do, validated before any work starts.
public struct ScoreRequest: Sendable {
    public var popular: URL
    public var candidates: URL
    public var other: URL?
    public var topK: Int = 5
    public var seed: UInt64 = 0
    public var followSymlinks = false
    public var limits: DecodeLimits = .default
    /// Compute Grad-CAM heatmaps for candidates (needs a trained head).
    public var attention = true

    public init(popular: URL, candidates: URL, other: URL? = nil) {
        self.popular = popular
        self.candidates = candidates
        self.other = other
    }

    public enum RequestError: Error, CustomStringConvertible {
        case badTopK(Int)
        case noCovers(role: String, path: String, problems: Int)

        public var description: String {
            switch self {
            case .badTopK(let k): "--top-k must be at least 1 (got \(k))"
            case .noCovers(let role, let path, let problems):
                "\(path): the \(role) folder holds no usable covers" + (problems > 0 ? " (\(problems) files could not be used; see the list above)" : " (expected \(ImageFormat.acceptedList) files, recognised by their content)")
            }
        }
    }

    /// Checks the options and that no input folder is another or lies inside another
    /// (`InputOverlap`), before anything is read.
    public func validate() throws {
        guard topK >= 1 else { throw RequestError.badTopK(topK) }
        try InputOverlap.check([("--popular", popular), ("--candidates", candidates)] + (other.map { [("--other", $0)] } ?? []))
    }
}
