import Support

/// Seeded k-means: k-means++ seeding, then Lloyd iterations, over any `KMeansSpace`.
///
/// The palette (`PaletteExtractor`, colours in Lab) and style clustering (`StyleClustering`,
/// embeddings) run this one algorithm. Every step visits points and centres in index order and a
/// distance tie goes to the lower-numbered centre, so a generator state gives one answer, bit for bit.
///
/// 1. Seeding (Arthur & Vassilvitskii, 2007): a uniformly drawn point, then each next centre a point
///    drawn with probability proportional to its squared distance to the nearest centre so far.
/// 2. Lloyd: assign every point to its nearest centre, move each centre to its points' mean; until
///    no point changes cluster, at most `maxIterations` times.
public struct KMeans: Sendable {
    /// What happens to a centre that no point is nearest to.
    public enum EmptyCluster: Sendable {
        /// It stays where it is (k stays fixed).
        case keep
        /// It is removed, and every point is assigned again in the next iteration.
        case drop
    }

    public var maxIterations: Int
    public var emptyClusters: EmptyCluster
    /// Seeding stops before k centres when every point already sits on a centre (an image of fewer
    /// colours than k), instead of picking duplicates.
    public var stopsWhenCovered: Bool

    public init(maxIterations: Int = 50, emptyClusters: EmptyCluster = .keep, stopsWhenCovered: Bool = false) {
        self.maxIterations = maxIterations
        self.emptyClusters = emptyClusters
        self.stopsWhenCovered = stopsWhenCovered
    }

    /// Up to `k` centres of `space` (at least one point), then refined: the centres and each point's
    /// cluster. After a `.drop` in the last iteration the assignments are all -1.
    @inlinable
    public func cluster<Space: KMeansSpace>(_ space: Space, k: Int, generator: inout SeededGenerator)
        -> (centres: [Space.Centre], assignments: [Int]) {
        refine(seeds(space, k: k, generator: &generator), in: space)
    }

    /// k-means++ seeding: up to `k` points of `space` (at least one point) as centres.
    @inlinable
    public func seeds<Space: KMeansSpace>(_ space: Space, k: Int, generator: inout SeededGenerator) -> [Space.Centre] {
        let n = space.count
        var centres = [space.centre(at: generator.uniformInt(below: n))]
        var nearest = [Double](repeating: .infinity, count: n)   // squared distance to the nearest centre so far
        while centres.count < k {
            let last = centres[centres.count - 1]
            for i in 0..<n { nearest[i] = min(nearest[i], space.squaredDistance(i, to: last)) }
            let total = nearest.reduce(0, +)
            if stopsWhenCovered, !(total > 0) { break }
            var target = generator.uniformDouble() * total
            var pick = n - 1
            for i in 0..<n {
                target -= nearest[i]
                if target < 0 { pick = i; break }
            }
            centres.append(space.centre(at: pick))
        }
        return centres
    }

    /// Lloyd iterations from `start`: the centres and each point's cluster.
    @inlinable
    public func refine<Space: KMeansSpace>(_ start: [Space.Centre], in space: Space)
        -> (centres: [Space.Centre], assignments: [Int]) {
        let n = space.count
        var centres = start
        var assignments = [Int](repeating: -1, count: n)
        for _ in 0..<maxIterations {
            if !space.assignNearest(centres, to: &assignments) { break }
            var sums = centres.map { _ in space.emptySum() }
            var counts = [Int](repeating: 0, count: centres.count)
            for i in 0..<n {
                space.add(i, to: &sums[assignments[i]])
                counts[assignments[i]] += 1
            }
            switch emptyClusters {
            case .keep:
                for c in centres.indices where counts[c] > 0 { centres[c] = space.mean(sums[c], count: counts[c]) }
            case .drop:
                let kept = centres.indices.filter { counts[$0] > 0 }
                centres = kept.map { space.mean(sums[$0], count: counts[$0]) }
                if kept.count != counts.count { assignments = [Int](repeating: -1, count: n) }   // indices moved: reassign
            }
        }
        return (centres, assignments)
    }

    /// The centre nearest to point `i`; a tie goes to the lower index.
    @inlinable
    public static func nearest<Space: KMeansSpace>(_ i: Int, in centres: [Space.Centre], space: Space) -> Int {
        nearest(in: centres) { space.squaredDistance(i, to: $0) }
    }

    /// The index of the centre with the smallest `squaredDistance`; a tie goes to the lower index.
    /// For a point that is not in a space, such as each pixel of an image against a palette.
    @inlinable
    public static func nearest<Centre>(in centres: [Centre], squaredDistance: (Centre) -> Double) -> Int {
        var best = 0, bestDistance = Double.infinity
        for (c, centre) in centres.enumerated() {
            let d = squaredDistance(centre)
            if d < bestDistance { best = c; bestDistance = d }
        }
        return best
    }
}
