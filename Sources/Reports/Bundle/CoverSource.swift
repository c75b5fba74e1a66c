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
