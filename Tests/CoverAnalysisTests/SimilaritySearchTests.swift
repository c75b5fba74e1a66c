import Testing
import Tensors
@testable import CoverAnalysis

@Suite struct SimilaritySearchTests {
    /// Deterministic pseudo-random embeddings.
    static func embeddings(_ n: Int, _ d: Int, seed: UInt64) -> Tensor {
        var state = seed
        var values = [Float]()
        for _ in 0..<(n * d) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000)
        }
        return Tensor(shape: [n, d], storage: values)
    }

    /// Exhaustive cosine top-k in Double, the reference for the blocked search.
    static func bruteForce(_ q: Tensor, _ p: Tensor, k: Int) -> [[Int]] {
        let d = q.shape[1]
        func row(_ t: Tensor, _ i: Int) -> [Double] { (0..<d).map { Double(t.storage[i * d + $0]) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var sum = 0.0
            for i in a.indices { sum += a[i] * b[i] }
            return sum
        }
        func cosine(_ a: [Double], _ b: [Double]) -> Double { dot(a, b) / (dot(a, a) * dot(b, b)).squareRoot() }
        return (0..<q.shape[0]).map { i in
            let qi = row(q, i)
            let scored: [(j: Int, c: Double)] = (0..<p.shape[0]).map { (j: $0, c: cosine(qi, row(p, $0))) }
            let ranked = scored.sorted { a, b in a.c > b.c || (a.c == b.c && a.j < b.j) }
            return ranked.prefix(k).map { $0.j }
        }
    }

    @Test(arguments: [1, 7, 1000])
    func blockedTopKEqualsBruteForce(blockSize: Int) {
        let popular = Self.embeddings(300, 16, seed: 1), candidates = Self.embeddings(9, 16, seed: 2)
        var search = SimilaritySearch(popular: popular)
        search.blockSize = blockSize
        let found = search.topMatches(for: candidates, k: 5)
        #expect(found.map { $0.map(\.index) } == Self.bruteForce(candidates, popular, k: 5))
        #expect(found.allSatisfy { zip($0, $0.dropFirst()).allSatisfy { $0.cosine >= $1.cosine } })
    }

    @Test func aScaledCopyIsTheTopMatchWithCosineOne() {
        let popular = Self.embeddings(50, 8, seed: 3)
        let candidate = Tensor(shape: [1, 8], storage: popular.slice(batch: 17..<18).storage.map { $0 * 3 })
        let best = SimilaritySearch(popular: popular).topMatches(for: candidate, k: 1)[0][0]
        #expect(best.index == 17)
        #expect(abs(best.cosine - 1) < 1e-6)
    }

    @Test func matrixHoldsTheCosinesOfTheChosenColumns() {
        let popular = Self.embeddings(20, 8, seed: 4), candidates = Self.embeddings(3, 8, seed: 5)
        let search = SimilaritySearch(popular: popular)
        let matrix = search.matrix(for: candidates, columns: [4, 0, 19])
        let top = search.topMatches(for: candidates, k: 20)
        for c in 0..<3 {
            for (col, p) in [4, 0, 19].enumerated() {
                let expected = top[c].first { $0.index == p }!.cosine
                #expect(abs(matrix[c, col] - expected) < 1e-6)
            }
        }
    }

    @Test func kLargerThanThePopularSetReturnsEveryCover() {
        let found = SimilaritySearch(popular: Self.embeddings(3, 4, seed: 6)).topMatches(for: Self.embeddings(2, 4, seed: 7), k: 10)
        #expect(found.map(\.count) == [3, 3])
    }
}
