import Imaging
import Testing
import Tensors
@testable import CoverAnalysis

/// The one-copy similarity path (in-place normalising, query rows read where they lie, the scorer's
/// combined popular-and-other matrix) against a plain reference computation, on data with all-zero
/// rows and exact ties.
@Suite struct SimilarityReferenceTests {
    static let d = 16

    /// Random rows, with all-zero rows, duplicated rows and rows scaled by 2 mixed in: a duplicate
    /// and a ×2 copy have exactly the cosines of their original, so they tie exactly.
    static func rowsWithZerosAndTies(_ n: Int, seed: UInt64) -> Tensor {
        var x = SimilaritySearchTests.embeddings(n, d, seed: seed)
        for i in stride(from: 5, to: n, by: 23) { for j in 0..<d { x[i, j] = 0 } }
        for i in stride(from: 11, to: n, by: 17) {
            let source = i / 3, scale: Float = i % 2 == 0 ? 1 : 2
            for j in 0..<d { x[i, j] = x[source, j] * scale }
        }
        return x
    }

    /// Top-k by cosine computed in Double, one pair at a time (0 when either row is all zero),
    /// ranked by cosine then by lower index.
    static func reference(_ q: Tensor, _ p: Tensor, k: Int) -> [[(index: Int, cosine: Double)]] {
        func row(_ t: Tensor, _ i: Int) -> [Double] { (0..<d).map { Double(t[i, $0]) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { $0 * $1 }.reduce(0, +) }
        return (0..<q.shape[0]).map { i in
            let a = row(q, i)
            let scored = (0..<p.shape[0]).map { j -> (index: Int, cosine: Double) in
                let b = row(p, j), norms = (dot(a, a) * dot(b, b)).squareRoot()
                return (j, norms > 0 ? dot(a, b) / norms : 0)
            }
            return Array(scored.sorted { $0.cosine > $1.cosine || ($0.cosine == $1.cosine && $0.index < $1.index) }.prefix(k))
        }
    }

    private func expectEqual(_ found: [[SimilaritySearch.Match]], _ expected: [[(index: Int, cosine: Double)]],
                             _ context: String) {
        #expect(found.count == expected.count, "\(context): \(found.count) rows, expected \(expected.count)")
        for (row, (ours, theirs)) in zip(found, expected).enumerated() {
            #expect(ours.map(\.index) == theirs.map(\.index), "\(context): row \(row) indices")
            for (a, b) in zip(ours, theirs) {
                #expect(abs(Double(a.cosine) - b.cosine) < 1e-5, "\(context): row \(row), popular \(a.index): \(a.cosine) vs \(b.cosine)")
            }
        }
    }

    @Test(arguments: [1, 7, 4096])
    func searchEqualsTheReferenceWithZerosAndTies(blockSize: Int) {
        let popular = Self.rowsWithZerosAndTies(200, seed: 11)
        var queries = SimilaritySearchTests.embeddings(12, Self.d, seed: 12)
        for j in 0..<Self.d { queries[0, j] = 0; queries[1, j] = popular[11 / 3, j] }   // a zero query; one tied with its copies
        var search = SimilaritySearch(popular: popular)
        search.blockSize = blockSize
        expectEqual(search.topMatches(for: queries, k: 9), Self.reference(queries, popular, k: 9), "block \(blockSize)")
    }

    @Test func zeroQueryTiesEverywhereAndKeepsTheLowestIndices() {
        let popular = Self.rowsWithZerosAndTies(40, seed: 13)
        let found = SimilaritySearch(popular: popular).topMatches(for: Tensor(shape: [1, Self.d]), k: 4)
        #expect(found[0].map(\.index) == [0, 1, 2, 3])
        #expect(found[0].allSatisfy { $0.cosine == 0 }, "\(found[0])")
    }

    @Test func aConsumedMatrixIsNormalisedInItsOwnStorage() {
        var values = [Float]()
        values.reserveCapacity(50 * Self.d)
        values += Self.rowsWithZerosAndTies(50, seed: 14).storage
        let expected = SimilaritySearch.normalised(Tensor(shape: [50, Self.d], storage: values))
        let before = values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let matrix = Tensor(shape: [50, Self.d], storage: values)
        values = []
        let search = SimilaritySearch(popular: consume matrix)
        let after = search.popular.storage.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        #expect(after == before, "the popular matrix was copied")
        #expect(search.popular == expected, "in-place normalising differs from normalised(_:)")
    }

    @Test func aCallerThatKeepsItsMatrixStillHasTheRawValues() {
        let matrix = Self.rowsWithZerosAndTies(30, seed: 15)
        let raw = matrix.storage
        let search = SimilaritySearch(popular: matrix)
        #expect(matrix.storage == raw)
        #expect(search.popular == SimilaritySearch.normalised(matrix))
    }

    /// The scorer's path (popular and other covers in one normalised matrix, queries as row ranges of
    /// it) gives bit for bit the matches of separate searches over separate matrices.
    @Test func coverEmbeddingsMatchSeparateSearchesBitForBit() {
        let popular = Self.rowsWithZerosAndTies(120, seed: 16), other = Self.rowsWithZerosAndTies(45, seed: 17)
        let candidates = SimilaritySearchTests.embeddings(7, Self.d, seed: 18)
        var popularCovers = Self.covers(popular), otherCovers = Self.covers(other)
        var rawSeen: [Tensor] = []
        let embeddings = CoverEmbeddings(popular: &popularCovers, other: &otherCovers, dimension: Self.d,
                                         rawScores: { rawSeen.append($0); return Array(repeating: 0, count: $0.shape[0]) })
        #expect(rawSeen == [popular, other], "the head must see the raw rows")
        #expect((popularCovers + otherCovers).allSatisfy { $0.embedding.isEmpty }, "covers still hold their embeddings")
        #expect(embeddings.normalised == SimilaritySearch.normalised(Tensor(shape: [165, Self.d], storage: popular.storage + other.storage)))

        let search = SimilaritySearch(popular: popular)
        #expect(embeddings.topMatches(for: candidates, k: 6) == search.topMatches(for: candidates, k: 6))
        #expect(embeddings.popularMatches(k: 6) == search.topMatches(for: popular, k: 6))
        #expect(embeddings.otherMatches(k: 6) == search.topMatches(for: other, k: 6))
        expectEqual(embeddings.otherMatches(k: 6), Self.reference(other, popular, k: 6), "other rows")
    }

    @Test func withoutOtherCoversTheMatrixHoldsThePopularRows() {
        let popular = Self.rowsWithZerosAndTies(30, seed: 19)
        var popularCovers = Self.covers(popular), none: [ScannedCover] = []
        let embeddings = CoverEmbeddings(popular: &popularCovers, other: &none, dimension: Self.d, rawScores: nil)
        #expect(embeddings.rawScores == nil && embeddings.otherCount == 0)
        #expect(embeddings.normalised == SimilaritySearch.normalised(popular))
        #expect(embeddings.otherMatches(k: 3).isEmpty)
    }

    static func covers(_ rows: Tensor) -> [ScannedCover] {
        let statistics = ColourStatistics(brightness: 0, contrast: 0, saturation: 0, colourfulness: 0,
                                          edgeDensity: 0, backgroundShare: 0, palette: [])
        return (0..<rows.shape[0]).map { i in
            ScannedCover(file: "\(i).jpg", contentHash: "\(i)", embedding: rows.slice(batch: i..<i + 1).storage,
                         copyDescriptor: rows.slice(batch: i..<i + 1).storage, statistics: statistics, thumbnail: RGBImage(width: 1, height: 1, pixels: [0, 0, 0]))
        }
    }
}
