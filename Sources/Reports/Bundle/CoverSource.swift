import Foundation

/// Where the report finds the cover images it shows as thumbnails.
public enum CoverSource: Sendable {
    /// The folders `coverlens score` read: thumbnails are decoded from the originals.
    case folders(popular: URL, candidates: URL, other: URL?)
    /// A previous report bundle: its `covers/` thumbnails are reused (`coverlens report RESULTS.json`).
    case bundle(URL)
    /// No images at all: grids show a neutral panel where a cover would be.
    case none
}

/// Which folder a cover came from; part of its thumbnail's name.
enum CoverRole: String, Sendable, CaseIterable {
    case candidates
    case popular
    case other

    /// Splits a style-cluster exemplar ("popular/a/b.jpg") into its role and the path inside the folder.
    static func split(prefixed path: String) -> (role: CoverRole, file: String)? {
        guard let slash = path.firstIndex(of: "/"), let role = CoverRole(rawValue: String(path[..<slash])) else { return nil }
        return (role, String(path[path.index(after: slash)...]))
    }
}

/// A cover as one thumbnail of the bundle.
struct CoverKey: Hashable, Sendable {
    var role: CoverRole
    /// Path inside the role's folder, exactly as results.json records it.
    var file: String
}
