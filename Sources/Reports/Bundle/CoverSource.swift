import Foundation

/// Where the report finds the cover images it shows as thumbnails.
public enum CoverSource: Sendable {
    /// The folders `coverlens score` read: thumbnails are decoded from the originals. A set read
    /// from a collection in the shared store has no folder here (nil): its covers are shown from
    /// the thumbnails the store keeps, which the scoring run hands over as pictures.
    case folders(popular: URL?, candidates: URL, other: URL?)
    /// A previous report bundle: its `covers/` thumbnails are reused (`coverlens report RESULTS.json`).
    case bundle(URL)
    /// No images at all: grids show a neutral panel where a cover would be.
    case none
}
