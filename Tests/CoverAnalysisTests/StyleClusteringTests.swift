import Support
import Testing
import Tensors
@testable import CoverAnalysis

@Suite struct StyleClusteringTests {
    /// Points scattered tightly around `centres` unit directions in 6-d.
    static func blobs(_ centres: Int, perBlob: Int, seed: UInt64) -> (Tensor, [Int]) {
        var rng = SeededGenerator(seed: seed)
        var values = [Float](), labels = [Int]()
        for c in 0..<centres {
            for _ in 0..<perBlob {
                for j in 0..<6 { values.append((j == c ? 1 : 0) + Float(rng.normal() * 0.05)) }
                labels.append(c)
            }
        }
        return (Tensor(shape: [centres * perBlob, 6], storage: values), labels)
    }

    @Test func findsTheNumberOfWellSeparatedStyles() {
        let (points, labels) = Self.blobs(4, perBlob: 15, seed: 1)
        let result = StyleClustering(seed: 7).cluster(points)
        #expect(result.k == 4)
        // Same partition as the truth, whatever the cluster numbering.
        for i in labels.indices { for j in labels.indices where labels[i] == labels[j] {
            #expect(result.assignments[i] == result.assignments[j])
        } }
        #expect(result.silhouette > 0.8)
    }

    @Test func sameSeedSameClusters() {
        let (points, _) = Self.blobs(5, perBlob: 10, seed: 2)
        #expect(StyleClustering(seed: 3).cluster(points) == StyleClustering(seed: 3).cluster(points))
    }

    @Test func exemplarsAreNearestTheCentroidFirst() {
        let (points, _) = Self.blobs(3, perBlob: 8, seed: 4)
        let result = StyleClustering(kRange: 3...3, seed: 1).cluster(points)
        let members = result.members(of: result.assignments[0], points: points)
        #expect(members.count == 8 && members.contains(0))
    }

    @Test func cohensDMatchesAHandComputedValue() {
        // means 2 and 5, sample variances 1 and 1 → pooled sd 1 → d = −3
        #expect(abs(FeatureComparison.cohensD([1, 2, 3], [4, 5, 6]) - (-3)) < 1e-12)
        let ranking = FeatureComparison.rank(popular: ["a": [1, 2, 3], "b": [1, 2, 3]], other: ["a": [1.5, 2.5, 3.5], "b": [4, 5, 6]])
        #expect(ranking.map(\.feature) == ["b", "a"])
        #expect(ranking[0].direction == "lower")
    }
}
