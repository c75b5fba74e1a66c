import Support
import Tensors

/// Cosine similarity between candidate covers and a (possibly very large) set of popular covers.
///
/// Embeddings are L2-normalised once, so cosine similarity is a plain dot product and a whole
/// block of it is one `sgemm`: `S[c, p] = Σ_d C[c, d] · P[p, d]`, i.e. `C · Pᵀ`. The popular set is
/// visited in blocks of `blockSize` rows, and only each candidate's running top-k survives a block,
/// so memory stays at the popular embeddings themselves (N × D × 4 bytes) plus one
/// `candidates × blockSize` score block, however many popular covers there are.
///
/// The popular embeddings are normalised where they lie: a caller that hands over its only copy
/// (`SimilaritySearch(popular: consume matrix)`) keeps one N × D matrix in memory, not two.
public struct SimilaritySearch: Sendable {
    /// Popular embeddings, L2-normalised, [N, D].
    public let popular: Tensor
    /// Rows of the popular set per `sgemm` block.
    public var blockSize: Int = 4096
    /// Query rows are split over `compute.workers` threads.
    public var compute: ComputeContext

    /// Takes the embeddings [N, D] and normalises them in place; a caller that keeps using its own
    /// matrix afterwards still works (copy-on-write copies it once, as before).
    public init(popular embeddings: consuming Tensor, compute: ComputeContext = .default) {
        self.compute = compute
        precondition(embeddings.rank == 2, "popular embeddings must be [N, D], got \(embeddings.shape)")
        Self.normalise(&embeddings)
        popular = embeddings
    }

    /// One match: the index of a popular cover (row of `popular`) and its cosine similarity.
    public struct Match: Sendable, Hashable, Codable {
        public let index: Int
        public let cosine: Float
        public init(index: Int, cosine: Float) { self.index = index; self.cosine = cosine }
    }

    /// The `k` most similar popular covers for each candidate, best first; ties keep the lower index
    /// so results do not depend on the block size or thread count.
    /// - Parameter candidates: [M, D] embeddings (normalised here).
    public func topMatches(for candidates: Tensor, k: Int) -> [[Match]] {
        precondition(candidates.rank == 2 && candidates.shape[1] == popular.shape[1],
                     "candidates \(candidates.shape) do not match popular \(popular.shape)")
        return Self.topMatches(normalised: Self.normalised(candidates), rows: 0..<candidates.shape[0],
                               popular: popular, popularCount: popular.shape[0], k: k, compute: compute, blockSize: blockSize)
    }

    /// Top-k for rows `rows` of `queries` against rows `0..<popularCount` of `popular`, both already
    /// unit length (`normalise`). Query and popular rows may be parts of one matrix (the scorer keeps
    /// popular and other covers in one), so neither is copied.
    ///
    /// Query rows are split into one contiguous group per worker; each worker streams the popular rows
    /// through its own single-threaded `sgemm` blocks, so the two cores never wait on each other
    /// (OpenBLAS's own threads busy-wait when a core is taken).
    static func topMatches(normalised queries: Tensor, rows: Range<Int>, popular: Tensor, popularCount n: Int,
                           k: Int, compute: ComputeContext, blockSize: Int = 4096) -> [[Match]] {
        // The sgemm below reads raw rows: out-of-range rows would read past the storage.
        precondition(queries.rank == 2 && popular.rank == 2 && queries.shape[1] == popular.shape[1]
                     && rows.lowerBound >= 0 && rows.upperBound <= queries.shape[0] && n <= popular.shape[0],
                     "query rows \(rows) of \(queries.shape) against \(n) rows of \(popular.shape)")
        let m = rows.count
        let k = min(k, n)
        guard m > 0, k > 0 else { return Array(repeating: [], count: m) }
        let groups = min(m, compute.workers)
        var perGroup = [[[Match]]](repeating: [], count: groups)
        perGroup.withUnsafeMutableBufferPointer { results in
            parallelFor(groups, workers: groups) { g in
                let group = (rows.lowerBound + g * m / groups)..<(rows.lowerBound + (g + 1) * m / groups)
                results[g] = topMatches(queries, rows: group, popular: popular, popularCount: n, k: k, blockSize: blockSize,
                                        compute: compute)
            }
        }
        return perGroup.flatMap { $0 }
    }

    /// Top-k for query rows `rows`, on the calling thread.
    private static func topMatches(_ queries: Tensor, rows: Range<Int>, popular: Tensor, popularCount n: Int,
                                   k: Int, blockSize: Int, compute: ComputeContext) -> [[Match]] {
        let m = rows.count
        var best = [[Match]](repeating: [], count: m)
        let block = max(1, min(blockSize, n))
        var scores = [Float](repeating: 0, count: m * block)
        var start = 0
        while start < n {
            let count = min(block, n - start)
            blockScores(queries, rows: rows, popular: popular, popularRows: start..<start + count, into: &scores,
                        compute: compute)
            for c in 0..<m {
                for j in 0..<count {
                    insert(Match(index: start + j, cosine: scores[c * count + j]), into: &best[c], k: k)
                }
            }
            start += count
        }
        return best
    }

    /// The full cosine matrix [M, |columns|] between candidates and the popular covers `columns`
    /// (e.g. the union of their top matches), for the heatmap.
    public func matrix(for candidates: Tensor, columns: [Int]) -> Tensor {
        let queries = Self.normalised(candidates)
        let d = popular.shape[1]
        var chosen = [Float](repeating: 0, count: columns.count * d)
        for (row, index) in columns.enumerated() {
            for j in 0..<d { chosen[row * d + j] = popular.storage[index * d + j] }
        }
        return Tensor.matmul(queries, Tensor(shape: [columns.count, d], storage: chosen), transposeB: true, compute: compute)
    }

    /// S = queries[rows] · popular[popularRows]ᵀ into `scores` ([rows.count, popularRows.count], row-major).
    private static func blockScores(_ queries: Tensor, rows: Range<Int>, popular: Tensor, popularRows: Range<Int>,
                                    into scores: inout [Float], compute: ComputeContext) {
        let d = popular.shape[1]
        queries.storage.withUnsafeBufferPointer { q in
            popular.storage.withUnsafeBufferPointer { p in
                scores.withUnsafeMutableBufferPointer { s in
                    sgemm(transposeB: true, m: rows.count, n: popularRows.count, k: d,
                          a: q.baseAddress! + rows.lowerBound * d, lda: d,
                          b: p.baseAddress! + popularRows.lowerBound * d, ldb: d,
                          c: s.baseAddress!, ldc: popularRows.count, compute: compute)
                }
            }
        }
    }

    /// Keeps `list` sorted best-first with at most `k` entries.
    @inline(__always)
    static func insert(_ match: Match, into list: inout [Match], k: Int) {
        if list.count == k, let last = list.last, !(match.cosine > last.cosine) { return }
        var position = list.count
        while position > 0 && match.cosine > list[position - 1].cosine { position -= 1 }
        list.insert(match, at: position)
        if list.count > k { list.removeLast() }
    }

    /// Rows scaled to unit L2 norm (computed in Double); all-zero rows stay zero.
    public static func normalised(_ x: Tensor) -> Tensor {
        var out = x
        normalise(&out)
        return out
    }

    /// `normalised`, in place: each row's sum of squares is taken before the row is scaled, so the
    /// values are bit for bit those of `normalised`, without a second copy of `x` when it is held once.
    public static func normalise(_ x: inout Tensor) {
        let n = x.shape[0], d = x.count / max(1, x.shape[0])
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<d { let v = Double(x.storage[i * d + j]); sum += v * v }
            guard sum > 0 else { continue }
            let scale = Float(1 / sum.squareRoot())
            for j in 0..<d { x.storage[i * d + j] *= scale }
        }
    }
}
