/// Points that `KMeans` can cluster, seen through their indices `0 ..< count`.
///
/// k-means only needs the distance from a point to a centre and the mean of a cluster's points,
/// so each space keeps its own arithmetic: the palette's Lab colours in Double, style clustering's
/// embedding rows summed in Float and renormalised onto the unit sphere (spherical k-means).
public protocol KMeansSpace {
    associatedtype Centre
    associatedtype Sum
    /// Number of points.
    var count: Int { get }
    /// Point `i` as a centre (what k-means++ seeding picks).
    func centre(at i: Int) -> Centre
    /// Squared distance from point `i` to `centre`.
    func squaredDistance(_ i: Int, to centre: Centre) -> Double
    /// The sum of no points.
    func emptySum() -> Sum
    /// Adds point `i` to `sum`; a cluster's points are added in index order.
    func add(_ i: Int, to sum: inout Sum)
    /// The centre of the `count` (at least one) points that add up to `sum`.
    func mean(_ sum: Sum, count: Int) -> Centre
    /// Every point to its nearest centre; whether any assignment changed (see the extension).
    func assignNearest(_ centres: [Centre], to assignments: inout [Int]) -> Bool
}

extension KMeansSpace {
    /// Assigns every point to its nearest centre (`KMeans.nearest`: a tie to the lower index) and
    /// says whether any assignment changed. A space may do it faster for its own points
    /// (`PaletteExtractor.LabPoints`: four colours at a time in C); it must give the same assignments.
    @inlinable
    public func assignNearest(_ centres: [Centre], to assignments: inout [Int]) -> Bool {
        var changed = false
        for i in 0..<count {
            let c = KMeans.nearest(i, in: centres, space: self)
            if c != assignments[i] { assignments[i] = c; changed = true }
        }
        return changed
    }
}
