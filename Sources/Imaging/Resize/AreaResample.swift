import CResample

/// The `width × height` average of the rectangle `x0 ..< x1`, `y0 ..< y1` of `image` (in source
/// pixels, fractional): each output pixel is the mean of the source area under it, edge pixels
/// weighted by the part of them that area covers (a box filter with exact coverage).
///
/// Why: ``PDFDecoder`` renders a page at several times the size it needs and cuts the TrimBox out
/// of that. The TrimBox seldom starts on a pixel boundary, and a renderer places images on whole
/// pixels; averaging a finer render over the box's exact position keeps the cover where it is
/// instead of shifting or dropping a column of it. The copy descriptor averages whole covers onto
/// small grids the same way (`CoverRectifier`), four times a cover, so the horizontal pass, which
/// reads every pixel, is written for speed: eight rows to an AVX2 vector (`cl_area_horizontal_rgb`).
/// Each channel's sum still takes its products in the same order, so the bytes do not depend on that.
func resampleArea(_ image: RGBImage, x0: Double, y0: Double, x1: Double, y1: Double, width: Int, height: Int) -> RGBImage {
    guard width > 0, height > 0, image.width > 0, image.height > 0, x1 > x0, y1 > y0 else {
        return RGBImage(width: max(width, 0), height: max(height, 0),
                        pixels: [UInt8](repeating: 127, count: max(width, 0) * max(height, 0) * 3))
    }
    let columns = AreaTaps(from: x0, to: x1, outSize: width, inSize: image.width)
    let rows = AreaTaps(from: y0, to: y1, outSize: height, inSize: image.height)
    // Horizontal pass over the rows any output row reads: [image.height, width, 3], unrounded.
    var across = [Float](repeating: 0, count: image.height * width * 3)
    let usedRows = rows.first[0] ..< rows.first[height - 1] + rows.count[height - 1]
    image.pixels.withUnsafeBufferPointer { source in
        across.withUnsafeMutableBufferPointer { across in
            columns.horizontalPass(source, imageWidth: image.width, rows: usedRows, into: across)
        }
    }
    // Vertical pass, rounded to bytes once.
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    across.withUnsafeBufferPointer { across in
        pixels.withUnsafeMutableBufferPointer { pixels in
            rows.verticalPass(across, rowLength: width * 3, into: pixels)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

/// Along one axis: which source pixels each output pixel covers, and by how much (weights sum to 1).
struct AreaTaps {
    /// [outSize] first source index.
    private(set) var first: [Int] = []
    /// [outSize] number of source pixels covered.
    private(set) var count: [Int] = []
    /// [outSize] where each output's weights start in `weights`.
    private var offset: [Int] = []
    /// The coverage of source pixels first, first + 1, …, normalised, output after output.
    private var weights: [Float] = []

    init(from start: Double, to end: Double, outSize: Int, inSize: Int) {
        let step = (end - start) / Double(outSize)
        for i in 0 ..< outSize {
            let low = start + Double(i) * step, high = low + step
            let firstIndex = max(0, min(inSize - 1, Int(low.rounded(.down))))
            let lastIndex = max(firstIndex, min(inSize - 1, Int(high.rounded(.up)) - 1))
            var row = (firstIndex ... lastIndex).map { j in max(0, min(high, Double(j + 1)) - max(low, Double(j))) }
            let total = row.reduce(0, +)
            row = total > 0 ? row.map { $0 / total } : row.map { _ in 1 / Double(row.count) }
            first.append(firstIndex)
            count.append(row.count)
            offset.append(weights.count)
            weights.append(contentsOf: row.map(Float.init))
        }
    }

    /// With these taps along a row: `across[y, x, c] = Σ_k weight(x, k) · source[y, first[x] + k, c]`
    /// for the rows `rows`, the products added in order of `k` from 0, eight rows to an AVX2 vector
    /// (`cl_area_horizontal_rgb`); the grouping of rows does not change any sum.
    func horizontalPass(_ source: UnsafeBufferPointer<UInt8>, imageWidth: Int, rows: Range<Int>,
                        into across: UnsafeMutableBufferPointer<Float>) {
        guard !rows.isEmpty else { return }
        let width = first.count
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 8 * 3 * imageWidth)
        let results = UnsafeMutablePointer<Float>.allocate(capacity: 8 * 3 * width)
        defer { scratch.deallocate(); results.deallocate() }
        first.withUnsafeBufferPointer { first in
        count.withUnsafeBufferPointer { count in
        offset.withUnsafeBufferPointer { offset in
        weights.withUnsafeBufferPointer { weights in
            cl_area_horizontal_rgb(source.baseAddress! + rows.lowerBound * imageWidth * 3, rows.count, imageWidth,
                                   across.baseAddress! + rows.lowerBound * width * 3, width,
                                   first.baseAddress!, count.baseAddress!, offset.baseAddress!, weights.baseAddress!,
                                   scratch, results)
        }}}}
    }

    /// `out[y, i] = byte(Σ_k weight(y, k) · across[first[y] + k, i])` over whole rows of `rowLength`
    /// floats, the products added in order of `k` from 0.
    func verticalPass(_ across: UnsafeBufferPointer<Float>, rowLength: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        var sums = [Float](repeating: 0, count: rowLength)
        sums.withUnsafeMutableBufferPointer { sums in
            for y in 0 ..< first.count {
                for i in 0 ..< rowLength { sums[i] = 0 }
                for k in 0 ..< count[y] {
                    let weight = weights[offset[y] + k]
                    let row = across.baseAddress! + (first[y] + k) * rowLength
                    for i in 0 ..< rowLength { sums[i] += weight * row[i] }
                }
                for i in 0 ..< rowLength {
                    out[y * rowLength + i] = UInt8(max(0, min(255, sums[i].rounded())))
                }
            }
        }
    }
}
