import Tensors

/// Cosine similarity between candidate covers and a (possibly very large) set of popular covers.
///
/// Embeddings are L2-normalised once, so cosine similarity is a plain dot product and a whole
/// block of it is one `sgemm`: `S[c, p] = Σ_d C[c, d] · P[p, d]`, i.e. `C · Pᵀ`. The popular set is
/// visited in blocks of `blockSize` rows, and only each candidate's running top-k survives a block,
/// so memory stays at the popular embeddings themselves (N × D × 4 bytes) plus one
/// `candidates × blockSize` score block, however many popular covers there are.
public struct SimilaritySearch: Sendable {
    /// Popular embeddings, L2-normalised, [N, D].
    public let popular: Tensor
    /// Rows of the popular set per `sgemm` block.
    public var blockSize: Int = 4096

    public init(popular embeddings: Tensor) {
        precondition(embeddings.rank == 2, "popular embeddings must be [N, D], got \(embeddings.shape)")
        popular = Self.normalised(embeddings)
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
    ///
    /// Candidates are split into one contiguous group per worker; each worker streams the whole
    /// popular set through its own single-threaded `sgemm` blocks, so the two cores never wait on
    /// each other (OpenBLAS's own threads busy-wait when a core is taken).
    public func topMatches(for candidates: Tensor, k: Int) -> [[Match]] {
        precondition(candidates.rank == 2 && candidates.shape[1] == popular.shape[1],
                     "candidates \(candidates.shape) do not match popular \(popular.shape)")
        let m = candidates.shape[0], n = popular.shape[0]
        let k = min(k, n)
        guard m > 0, k > 0 else { return Array(repeating: [], count: m) }
        let queries = Self.normalised(candidates)
        let groups = min(m, Parallelism.workers)
        var perGroup = [[[Match]]](repeating: [], count: groups)
        perGroup.withUnsafeMutableBufferPointer { results in
            parallelFor(groups, workers: groups) { g in
                let rows = (g * m / groups)..<((g + 1) * m / groups)
                results[g] = topMatches(queries: queries.slice(batch: rows), k: k)
            }
        }
        return perGroup.flatMap { $0 }
    }

    /// Top-k for already normalised queries, on the calling thread.
    private func topMatches(queries: Tensor, k: Int) -> [[Match]] {
        let m = queries.shape[0], n = popular.shape[0]
        var best = [[Match]](repeating: [], count: m)
        let rows = max(1, min(blockSize, n))
        var scores = [Float](repeating: 0, count: m * rows)
        var start = 0
        while start < n {
            let count = min(rows, n - start)
            blockScores(queries, rows: start..<start + count, into: &scores)
            for c in 0..<m {
                for j in 0..<count {
                    Self.insert(Match(index: start + j, cosine: scores[c * count + j]), into: &best[c], k: k)
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
        return Tensor.matmul(queries, Tensor(shape: [columns.count, d], storage: chosen), transposeB: true)
    }

    /// S = queries · popular[rows]ᵀ into `scores` ([M, rows.count], row-major).
    private func blockScores(_ queries: Tensor, rows: Range<Int>, into scores: inout [Float]) {
        let m = queries.shape[0], d = popular.shape[1]
        queries.storage.withUnsafeBufferPointer { q in
            popular.storage.withUnsafeBufferPointer { p in
                scores.withUnsafeMutableBufferPointer { s in
                    sgemm(transposeB: true, m: m, n: rows.count, k: d,
                          a: q.baseAddress!, lda: d,
                          b: p.baseAddress! + rows.lowerBound * d, ldb: d,
                          c: s.baseAddress!, ldc: rows.count)
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
        let n = x.shape[0], d = x.count / max(1, x.shape[0])
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<d { let v = Double(x.storage[i * d + j]); sum += v * v }
            guard sum > 0 else { continue }
            let scale = Float(1 / sum.squareRoot())
            for j in 0..<d { out.storage[i * d + j] *= scale }
        }
        return out
    }
}
