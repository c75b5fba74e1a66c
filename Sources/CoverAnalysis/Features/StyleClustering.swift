import Tensors

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

    /// Lloyd's algorithm with k-means++ seeding.
    func kMeans(_ x: Tensor, k: Int) -> Result {
        let n = x.shape[0], d = x.shape[1]
        var rng = SeededGenerator(seed: seed &+ UInt64(k))
        var centroids = [Float](repeating: 0, count: k * d)
        var chosen = [rng.uniformInt(below: n)]
        var nearest = [Double](repeating: .infinity, count: n)
        while chosen.count < k {
            let last = chosen[chosen.count - 1]
            for i in 0..<n { nearest[i] = min(nearest[i], Self.squaredDistance(x, i, x, last, d)) }
            let total = nearest.reduce(0, +)
            var target = rng.uniformDouble() * total
            var pick = n - 1
            for i in 0..<n { target -= nearest[i]; if target < 0 { pick = i; break } }
            chosen.append(pick)
        }
        for (c, i) in chosen.enumerated() { for j in 0..<d { centroids[c * d + j] = x.storage[i * d + j] } }

        var assignments = [Int](repeating: -1, count: n)
        for _ in 0..<iterations {
            var changed = false
            let c = Tensor(shape: [k, d], storage: centroids)
            for i in 0..<n {
                var bestCluster = 0, bestDistance = Double.infinity
                for cluster in 0..<k {
                    let distance = Self.squaredDistance(x, i, c, cluster, d)
                    if distance < bestDistance { bestDistance = distance; bestCluster = cluster }
                }
                if assignments[i] != bestCluster { assignments[i] = bestCluster; changed = true }
            }
            for cluster in 0..<k {
                let members = assignments.indices.filter { assignments[$0] == cluster }
                guard !members.isEmpty else { continue }   // an empty cluster keeps its centroid
                let mean = Self.mean(of: x, members: members)
                for j in 0..<d { centroids[cluster * d + j] = mean.storage[j] }
            }
            if !changed { break }
        }
        return Result(assignments: assignments, centroids: Tensor(shape: [k, d], storage: centroids), silhouette: 0)
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
}
