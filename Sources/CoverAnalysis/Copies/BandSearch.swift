import Support
import Tensors

/// Nearest popular covers by `BandDescriptor`: the similarity of two covers is the mean cosine of
/// their nine bands after leaving out the `dropped` lowest (a painted-over title or a glare spoils
/// a band or two and says nothing about the rest; `droppedForPhotos` for a straightened photo), taken at the best pairing of the query's views
/// (whole, mirrored: with the catalogue's whole, central 95 % and central 90 %; rectified: with the
/// catalogue's levelled whole, `compares`).
///
/// Each band's cosines for a block of queries against every catalogue view are one `sgemm`
/// (`[3·m, 96] · [4·P, 96]ᵀ`); the trimmed mean and the maximum over view pairs are then taken per
/// pair of covers. Memory: the catalogue's band matrices (P × 4 × 864 floats) and one block of
/// scores per worker.
public struct BandSearch: Sendable {
    /// Bands left out of each similarity (the lowest cosines).
    public static let dropped = 2
    /// Bands left out when a photo's straightened cover is compared: its glare spot (a quarter of
    /// the cover across) spoils two or three bands. On the edited-copy benchmark (800 photos of
    /// seed 202) three instead of two raised the photos flagged from 72.1 % to 88.8 %, with 2 of 800
    /// photos of distinct covers flagged instead of 1.
    public static let droppedForPhotos = 3
    /// The catalogue's views that queries are matched against.
    static let catalogueViews: [BandDescriptor.View] = [.whole, .crop95, .crop90, .levelled]
    /// Query views per query row: whole, whole mirrored, rectified.
    static let queryViewCount = 3

    /// Whether query view `query` (0 whole, 1 mirrored, 2 rectified) is compared with catalogue view
    /// `catalogue`: a photo's straightened, levelled cover with the levelled whole cover only, the
    /// cover file and its mirror image with the others.
    static func compares(query: Int, catalogue: Int) -> Bool {
        (query == 2) == (catalogueViews[catalogue] == .levelled)
    }
    /// Query covers per `sgemm` block.
    static let blockSize = 32

    /// Per band b: the catalogue's views as rows `p * 3 + view`, [P · 3, bandLength].
    let catalogueBands: [[Float]]
    public let count: Int
    public var compute: ComputeContext

    /// - Parameter catalogue: descriptors [P, BandDescriptor.length].
    public init(catalogue: Tensor, compute: ComputeContext = .default) {
        precondition(catalogue.rank == 2 && catalogue.shape[1] == BandDescriptor.length,
                     "band descriptors must be [N, \(BandDescriptor.length)], got \(catalogue.shape)")
        self.compute = compute
        count = catalogue.shape[0]
        catalogueBands = Self.bandMatrices(catalogue.storage, count: count) { row in
            Self.catalogueViews.map { view in Self.view(view, of: row) }
        }
    }

    /// The `k` most similar catalogue covers of each query [M, BandDescriptor.length], best first
    /// (ties keep the lower index). With `excludingSelf`, the queries are the catalogue itself and
    /// each row's own entry is left out (the calibration's nearest-neighbour search).
    public func topMatches(for queries: Tensor, k: Int, excludingSelf: Bool = false) -> [[SimilaritySearch.Match]] {
        precondition(queries.rank == 2 && queries.shape[1] == BandDescriptor.length,
                     "band descriptors must be [N, \(BandDescriptor.length)], got \(queries.shape)")
        let m = queries.shape[0]
        precondition(!excludingSelf || m == count, "excludingSelf needs the catalogue as queries")
        let blocks = (m + Self.blockSize - 1) / Self.blockSize
        var results = [[[SimilaritySearch.Match]]](repeating: [], count: blocks)
        results.withUnsafeMutableBufferPointer { out in
            parallelFor(blocks, workers: compute.workers) { block in
                let rows = block * Self.blockSize..<min(m, (block + 1) * Self.blockSize)
                out[block] = topMatches(queries.storage, rows: rows, k: k, excludingSelf: excludingSelf)
            }
        }
        return results.flatMap { $0 }
    }

    private func topMatches(_ storage: [Float], rows: Range<Int>, k: Int, excludingSelf: Bool) -> [[SimilaritySearch.Match]] {
        let length = BandDescriptor.length
        let queryBands = Self.bandMatrices(Array(storage[rows.lowerBound * length..<rows.upperBound * length]), count: rows.count) { row in
            let whole = Self.view(.whole, of: row)
            let rectified = Self.view(.rectified, of: row)
            return [whole, BandDescriptor.mirrored(whole[...]), rectified]
        }
        let q = rows.count * Self.queryViewCount, c = count * Self.catalogueViews.count, d = BandDescriptor.bandLength
        // scores[b]: [q, c] cosines of band b.
        var scores = [[Float]](repeating: [Float](repeating: 0, count: q * c), count: BandDescriptor.bands)
        for b in 0..<BandDescriptor.bands {
            queryBands[b].withUnsafeBufferPointer { a in
                catalogueBands[b].withUnsafeBufferPointer { p in
                    scores[b].withUnsafeMutableBufferPointer { s in
                        sgemm(transposeB: true, m: q, n: c, k: d, a: a.baseAddress!, lda: d, b: p.baseAddress!, ldb: d,
                              c: s.baseAddress!, ldc: c, compute: compute)
                    }
                }
            }
        }
        precondition(Self.dropped == 2 && Self.droppedForPhotos == 3, "the loop below drops exactly these")
        let kept = Float(BandDescriptor.bands - Self.dropped), photoKept = Float(BandDescriptor.bands - Self.droppedForPhotos)
        var best = [[SimilaritySearch.Match]](repeating: [], count: rows.count)
        for (r, query) in rows.enumerated() {
            for p in 0..<count where !(excludingSelf && p == query) {
                var similarity = -Float.infinity
                for qv in 0..<Self.queryViewCount {
                    for cv in 0..<Self.catalogueViews.count where Self.compares(query: qv, catalogue: cv) {
                        let at = (r * Self.queryViewCount + qv) * c + p * Self.catalogueViews.count + cv
                        // The sum, and the three lowest cosines in order (no allocation: this runs m · P · 6 times).
                        var sum: Float = 0, low1 = Float.infinity, low2 = Float.infinity, low3 = Float.infinity
                        for b in 0..<BandDescriptor.bands {
                            let v = scores[b][at]
                            sum += v
                            if v < low1 { (low1, low2, low3) = (v, low1, low2) }
                            else if v < low2 { (low2, low3) = (v, low2) }
                            else if v < low3 { low3 = v }
                        }
                        similarity = max(similarity, qv == 2 ? (sum - low1 - low2 - low3) / photoKept : (sum - low1 - low2) / kept)
                    }
                }
                SimilaritySearch.insert(SimilaritySearch.Match(index: p, cosine: similarity), into: &best[r], k: k)
            }
        }
        return best
    }

    /// One view of a descriptor (a slice of a larger matrix: its indices start where it lies).
    static func view(_ view: BandDescriptor.View, of descriptor: ArraySlice<Float>) -> [Float] {
        let start = descriptor.startIndex + view.rawValue * BandDescriptor.viewLength
        return Array(descriptor[start..<start + BandDescriptor.viewLength])
    }

    /// Per band, the rows `views(descriptor)` of every descriptor stacked: [count · views, bandLength].
    static func bandMatrices(_ storage: [Float], count: Int, views: (ArraySlice<Float>) -> [[Float]]) -> [[Float]] {
        let length = BandDescriptor.length, d = BandDescriptor.bandLength
        var bands = [[Float]](repeating: [], count: BandDescriptor.bands)
        for i in 0..<count {
            for view in views(storage[i * length..<(i + 1) * length]) {
                for b in 0..<BandDescriptor.bands { bands[b] += view[b * d..<(b + 1) * d] }
            }
        }
        return bands
    }
}
