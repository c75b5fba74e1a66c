import Support
import Tensors
import Imaging

/// Groups covers into visual styles: k-means on L2-normalised embeddings, with k chosen by the
/// silhouette score among `kRange`.
///
/// On unit vectors, squared Euclidean distance is `2 − 2·cos`, so k-means here clusters by cosine
/// similarity, the same measure the similarity search uses. Initialisation is k-means++ with a
/// seeded generator, and every step visits points in index order, so a seed gives one answer.
/// The silhouette needs all pairwise distances; above `silhouetteSample` points it is computed on a
/// seeded sample, which estimates it well while keeping the cost bounded.
public struct StyleClustering: Sendable {
    public var kRange: ClosedRange<Int> = 3...8
    public var iterations: Int = 50
    public var silhouetteSample: Int = 1500
    public var seed: UInt64 = 0

    public init(kRange: ClosedRange<Int> = 3...8, seed: UInt64 = 0) {
        self.kRange = kRange
        self.seed = seed
    }

    public struct Result: Sendable, Equatable {
        /// Cluster of each point.
        public var assignments: [Int]
        /// Unit-length centroids, [k, D].
        public var centroids: Tensor
        public var silhouette: Double
        public var k: Int { centroids.shape[0] }

        /// Indices of the cluster's points, nearest its centroid first.
        public func members(of cluster: Int, points: Tensor) -> [Int] {
            members(of: cluster, normalisedPoints: SimilaritySearch.normalised(points))
        }

        /// `members(of:points:)` for points already L2-normalised (`SimilaritySearch.normalise`),
        /// without a normalised copy of them.
        public func members(of cluster: Int, normalisedPoints x: Tensor) -> [Int] {
            let d = x.shape[1]
            var scored: [(index: Int, cosine: Float)] = []
            for i in assignments.indices where assignments[i] == cluster {
                var dot: Float = 0
                for j in 0..<d { dot += x.storage[i * d + j] * centroids.storage[cluster * d + j] }
                scored.append((i, dot))
            }
            scored.sort { a, b in a.cosine > b.cosine || (a.cosine == b.cosine && a.index < b.index) }
            return scored.map { $0.index }
        }
    }

    /// Clusters `points` ([N, D]). With fewer points than the smallest k + 1, everything is one cluster.
    public func cluster(_ points: Tensor) -> Result {
        cluster(normalised: SimilaritySearch.normalised(points))
    }

    /// `cluster(_:)` for points already L2-normalised (`SimilaritySearch.normalise`), so a caller
    /// holding a large normalised matrix does not need a second copy of it.
    public func cluster(normalised x: Tensor) -> Result {
        let n = x.shape[0]
        let candidates = kRange.filter { $0 >= 2 && $0 < n }
        guard !candidates.isEmpty else {
            return Result(assignments: Array(repeating: 0, count: n), centroids: Self.mean(of: x, members: Array(0..<n)), silhouette: 0)
        }
        var best: Result?
        for k in candidates {
            var result = kMeans(x, k: k)
            result.silhouette = silhouette(x, assignments: result.assignments, k: k)
            if best == nil || result.silhouette > best!.silhouette + 1e-12 { best = result }
        }
        return best!
    }

    /// Lloyd's algorithm with k-means++ seeding (`KMeans`; an empty cluster keeps its centroid).
    func kMeans(_ x: Tensor, k: Int) -> Result {
        var rng = SeededGenerator(seed: seed &+ UInt64(k))
        let centres = KMeans(maxIterations: iterations).cluster(UnitRows(x: x), k: k, generator: &rng)
        return Result(assignments: centres.assignments, centroids: Tensor(shape: [k, x.shape[1]], storage: centres.centres.flatMap { $0 }),
                      silhouette: 0)
    }

    /// Mean silhouette (Rousseeuw 1987) with Euclidean distance on the unit vectors.
    func silhouette(_ x: Tensor, assignments: [Int], k: Int) -> Double {
        let n = x.shape[0], d = x.shape[1]
        var sample = Array(0..<n)
        if n > silhouetteSample {
            var rng = SeededGenerator(seed: seed ^ 0x5111_0E77)
            sample = Array(rng.shuffled(sample).prefix(silhouetteSample)).sorted()
        }
        var total = 0.0
        for i in sample {
            var sums = [Double](repeating: 0, count: k), counts = [Int](repeating: 0, count: k)
            for j in sample where j != i {
                sums[assignments[j]] += Self.squaredDistance(x, i, x, j, d).squareRoot()
                counts[assignments[j]] += 1
            }
            let own = assignments[i]
            guard counts[own] > 0 else { continue }   // a singleton scores 0
            let a = sums[own] / Double(counts[own])
            let b = (0..<k).filter { $0 != own && counts[$0] > 0 }.map { sums[$0] / Double(counts[$0]) }.min() ?? 0
            total += max(a, b) > 0 ? (b - a) / max(a, b) : 0
        }
        return total / Double(sample.count)
    }

    static func squaredDistance(_ a: Tensor, _ i: Int, _ b: Tensor, _ j: Int, _ d: Int) -> Double {
        var sum: Float = 0
        for t in 0..<d { let diff = a.storage[i * d + t] - b.storage[j * d + t]; sum += diff * diff }
        return Double(sum)
    }

    /// Normalised mean of the member rows, [1, D].
    static func mean(of x: Tensor, members: [Int]) -> Tensor {
        let d = x.shape[1]
        var mean = [Float](repeating: 0, count: d)
        for i in members { for j in 0..<d { mean[j] += x.storage[i * d + j] } }
        return SimilaritySearch.normalised(Tensor(shape: [1, d], storage: mean))
    }

    /// The rows of `x` [N, D] (unit length) as k-means points: distances summed in Float, a
    /// cluster's centre the normalised sum of its rows (spherical k-means).
    struct UnitRows: KMeansSpace {
        var x: Tensor
        var count: Int { x.shape[0] }
        func centre(at i: Int) -> [Float] {
            let d = x.shape[1]
            return Array(x.storage[i * d ..< (i + 1) * d])
        }
        func squaredDistance(_ i: Int, to centre: [Float]) -> Double {
            let d = x.shape[1]
            var sum: Float = 0
            for t in 0..<d { let diff = x.storage[i * d + t] - centre[t]; sum += diff * diff }
            return Double(sum)
        }
        func emptySum() -> [Float] { [Float](repeating: 0, count: x.shape[1]) }
        func add(_ i: Int, to sum: inout [Float]) {
            let d = x.shape[1]
            for j in 0..<d { sum[j] += x.storage[i * d + j] }
        }
        func mean(_ sum: [Float], count: Int) -> [Float] {
            SimilaritySearch.normalised(Tensor(shape: [1, sum.count], storage: sum)).storage
        }
    }
}
