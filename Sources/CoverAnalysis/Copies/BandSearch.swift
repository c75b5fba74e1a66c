import Support
import Tensors

/// Nearest popular covers by `BandDescriptor`: the similarity of two covers is the mean cosine of
/// their nine bands after leaving out the `dropped` lowest (a painted-over title or a glare spoils
/// a band or two and says nothing about the rest; `droppedForPhotos` for a straightened photo) —
/// for a cover file, only bands it may leave out (`mayLeaveOut`) — taken at the best pairing of the query's views
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
    /// A cover file's band may be left out only when the candidate shows little there — a contrast
    /// (`BandDescriptor`) below `plainContrast` grey levels: a painted-over title, a dim line lost
    /// in a re-save — or when it still agrees with the popular cover's band (cosine at least
    /// `agreeingCosine`). A band where the candidate shows a clear pattern that disagrees counts:
    /// two covers of one template with different titles differ exactly there. On the edited-copy
    /// benchmark of seed 202 this took the false alarms among 5,000 distinct covers from 20 to 5;
    /// the bands of flagged copies that disagree were plainer than 15 grey levels, except a title
    /// band painted over in part, which now counts and lowers the copy's similarity a little
    /// (title-painted copies flagged 99.2 % instead of 100 %; README, "Near-duplicates"). A photo's
    /// glare is a clear pattern that disagrees, so a straightened photo leaves out its lowest bands
    /// regardless.
    public static let plainContrast: Float = 20
    public static let agreeingCosine: Float = 0.7

    /// Whether a cover file's band with cosine `cosine` to the popular cover's, where the candidate
    /// has contrast `contrast`, may be left out of their similarity.
    @inline(__always)
    static func mayLeaveOut(cosine: Float, contrast: Float) -> Bool {
        cosine >= agreeingCosine || contrast < plainContrast
    }
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
        let bands = BandDescriptor.bands
        var best = [[SimilaritySearch.Match]](repeating: [], count: rows.count)
        for (r, query) in rows.enumerated() {
            // The query file's band contrasts (its mirror image's are the same).
            let contrasts = Array(BandDescriptor.contrast(of: .whole, in: storage[query * length..<(query + 1) * length]))
            for p in 0..<count where !(excludingSelf && p == query) {
                var similarity = -Float.infinity
                for qv in 0..<Self.queryViewCount {
                    let photo = qv == 2
                    for cv in 0..<Self.catalogueViews.count where Self.compares(query: qv, catalogue: cv) {
                        let at = (r * Self.queryViewCount + qv) * c + p * Self.catalogueViews.count + cv
                        // The sum, and the three lowest cosines that may be left out, in order (no
                        // allocation: this runs m · P · 6 times).
                        var sum: Float = 0, low1 = Float.infinity, low2 = Float.infinity, low3 = Float.infinity
                        for b in 0..<bands {
                            let v = scores[b][at]
                            sum += v
                            guard photo || Self.mayLeaveOut(cosine: v, contrast: contrasts[b]) else { continue }
                            if v < low1 { (low1, low2, low3) = (v, low1, low2) }
                            else if v < low2 { (low2, low3) = (v, low2) }
                            else if v < low3 { low3 = v }
                        }
                        // Fewer bands than `dropped` may be left out when the others disagree clearly.
                        var left: Float = 0, leftCount = 0
                        if low1.isFinite { left += low1; leftCount += 1 }
                        if low2.isFinite { left += low2; leftCount += 1 }
                        if photo && low3.isFinite { left += low3; leftCount += 1 }
                        similarity = max(similarity, (sum - left) / Float(bands - leftCount))
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
