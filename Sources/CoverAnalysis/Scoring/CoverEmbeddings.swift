import Tensors

/// The popular and other covers' embeddings for one scoring run, held once.
///
/// Each scanned cover's embedding moves into one [P + O, D] matrix (popular rows first, then other
/// rows) and is emptied in the cover, and the matrix is then L2-normalised in place. The similarity
/// search, the leave-one-out popular scores, the other covers' scores and the style clustering all
/// read this one matrix, so a large popular set costs (P + O) × D × 4 bytes once instead of per-cover
/// arrays, a raw matrix and normalised copies side by side. The values are those of
/// `SimilaritySearch.normalised` on the raw rows, bit for bit, so every result is unchanged.
struct CoverEmbeddings {
    /// [P + O, D], rows of unit length (an all-zero embedding stays zero).
    let normalised: Tensor
    let popularCount: Int
    /// The searches spread their query rows over `compute.workers` threads.
    let compute: ComputeContext
    /// Scores of the raw popular and other rows by `rawScores` (the trained head reads raw
    /// embeddings), taken before normalising; nil without `rawScores`.
    let rawScores: (popular: [Double], other: [Double])?

    var otherCount: Int { normalised.shape[0] - popularCount }

    /// - Parameter rawScores: called once with the raw popular rows [P, D] and once with the raw
    ///   other rows [O, D] (when there are any) before they are normalised.
    init(popular: inout [ScannedCover], other: inout [ScannedCover], dimension d: Int,
         rawScores score: ((Tensor) -> [Double])?, compute: ComputeContext = .default) {
        self.compute = compute
        let p = popular.count, o = other.count
        var rows = [Float]()
        rows.reserveCapacity((p + o) * d)
        Self.take(&popular, into: &rows)
        if let score {
            let popularScores = score(Tensor(shape: [p, d], storage: rows))
            // The other rows need a matrix of their own for the head; it lives only until appended.
            var otherRows = [Float]()
            otherRows.reserveCapacity(o * d)
            Self.take(&other, into: &otherRows)
            let otherScores = o > 0 ? score(Tensor(shape: [o, d], storage: otherRows)) : []
            rows.append(contentsOf: otherRows)
            rawScores = (popularScores, otherScores)
        } else {
            Self.take(&other, into: &rows)
            rawScores = nil
        }
        var matrix = Tensor(shape: [p + o, d], storage: consume rows)
        SimilaritySearch.normalise(&matrix)
        normalised = matrix
        popularCount = p
    }

    /// The raw embeddings of `covers` as one matrix [N, D]; each cover's own array is emptied.
    static func matrix(_ covers: inout [ScannedCover], dimension d: Int) -> Tensor {
        var rows = [Float]()
        rows.reserveCapacity(covers.count * d)
        take(&covers, into: &rows)
        return Tensor(shape: [covers.count, d], storage: rows)
    }

    /// Appends each cover's embedding to `rows` and empties it in the cover, one cover at a time,
    /// so the embeddings are never held twice.
    private static func take(_ covers: inout [ScannedCover], into rows: inout [Float]) {
        for i in covers.indices {
            rows.append(contentsOf: covers[i].embedding)
            covers[i].embedding = []
        }
    }

    /// Each candidate's `k` best popular matches (candidates [M, D], raw; normalised here).
    func topMatches(for candidates: Tensor, k: Int) -> [[SimilaritySearch.Match]] {
        precondition(candidates.rank == 2 && candidates.shape[1] == normalised.shape[1],
                     "candidates \(candidates.shape) do not match popular \(normalised.shape)")
        return SimilaritySearch.topMatches(normalised: SimilaritySearch.normalised(candidates), rows: 0..<candidates.shape[0],
                                           popular: normalised, popularCount: popularCount, k: k, compute: compute)
    }

    /// The full cosine grid [M, |columns|] of candidates (raw, normalised here) against the popular
    /// rows `columns`: the report's heatmap shows all of it, not only each candidate's own top k.
    func cosines(for candidates: Tensor, columns: [Int]) -> Tensor {
        let d = normalised.shape[1]
        var chosen = [Float]()
        chosen.reserveCapacity(columns.count * d)
        for index in columns {
            precondition(index < popularCount, "column \(index) is not a popular cover")
            chosen.append(contentsOf: normalised.storage[index * d..<(index + 1) * d])
        }
        return Tensor.matmul(SimilaritySearch.normalised(candidates), Tensor(shape: [columns.count, d], storage: chosen),
                             transposeB: true)
    }

    /// Each popular cover's `k` best popular matches, itself included.
    func popularMatches(k: Int) -> [[SimilaritySearch.Match]] {
        SimilaritySearch.topMatches(normalised: normalised, rows: 0..<popularCount, popular: normalised, popularCount: popularCount, k: k, compute: compute)
    }

    /// Each other cover's `k` best popular matches.
    func otherMatches(k: Int) -> [[SimilaritySearch.Match]] {
        SimilaritySearch.topMatches(normalised: normalised, rows: popularCount..<normalised.shape[0],
                                    popular: normalised, popularCount: popularCount, k: k, compute: compute)
    }
}
