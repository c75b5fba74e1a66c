/// The `width × height` average of the rectangle `x0 ..< x1`, `y0 ..< y1` of `image` (in source
/// pixels, fractional): each output pixel is the mean of the source area under it, edge pixels
/// weighted by the part of them that area covers (a box filter with exact coverage).
///
/// Why: ``PDFDecoder`` renders a page at several times the size it needs and cuts the TrimBox out
/// of that. The TrimBox seldom starts on a pixel boundary, and a renderer places images on whole
/// pixels; averaging a finer render over the box's exact position keeps the cover where it is
/// instead of shifting or dropping a column of it. The copy descriptor averages whole covers onto
/// small grids the same way (`CoverRectifier`), four times a cover, so the passes are written for speed:
/// a pixel's three channels in the lanes of one vector, four rows summed side by side. Each
/// channel's sum still takes its products in the same order, so the bytes do not depend on that.
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
private struct AreaTaps {
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
    /// for the rows `rows`, the products added in order of `k` from 0, one channel to a lane (the
    /// fourth lane is thrown away).
    /// Four rows at a time keep four sums in flight, since each sum waits for its previous addition.
    func horizontalPass(_ source: UnsafeBufferPointer<UInt8>, imageWidth: Int, rows: Range<Int>,
                        into across: UnsafeMutableBufferPointer<Float>) {
        let width = first.count
        let rowBytes = imageWidth * 3
        let base = source.baseAddress!, out = across.baseAddress!
        // A 4-byte load reads the byte after a pixel, which the image's very last pixel lacks: the
        // last row is summed on its own, with that pixel's channels read one by one.
        let lastRow = source.count / rowBytes - 1
        weights.withUnsafeBufferPointer { weights in
            var y = rows.lowerBound
            while y + 4 <= rows.upperBound && y + 3 < lastRow {
                for x in 0 ..< width {
                    let w = weights.baseAddress! + offset[x]
                    let start = base + y * rowBytes + first[x] * 3
                    var s0 = SIMD4<Float>(), s1 = SIMD4<Float>(), s2 = SIMD4<Float>(), s3 = SIMD4<Float>()
                    for k in 0 ..< count[x] {
                        let weight = SIMD4<Float>(repeating: w[k])
                        let p = start + k * 3
                        s0 += weight * pixel(p)
                        s1 += weight * pixel(p + rowBytes)
                        s2 += weight * pixel(p + 2 * rowBytes)
                        s3 += weight * pixel(p + 3 * rowBytes)
                    }
                    let o = out + (y * width + x) * 3, next = width * 3
                    store(s0, o); store(s1, o + next); store(s2, o + 2 * next); store(s3, o + 3 * next)
                }
                y += 4
            }
            for y in y ..< rows.upperBound {
                for x in 0 ..< width {
                    let w = weights.baseAddress! + offset[x]
                    let start = base + y * rowBytes + first[x] * 3
                    var sum = SIMD4<Float>()
                    for k in 0 ..< count[x] {
                        let p = start + k * 3
                        let value = y == lastRow && first[x] + k == imageWidth - 1
                            ? SIMD4<Float>(Float(p[0]), Float(p[1]), Float(p[2]), 0) : pixel(p)
                        sum += SIMD4(repeating: w[k]) * value
                    }
                    store(sum, out + (y * width + x) * 3)
                }
            }
        }
    }

    /// The three channels of `sum` to `o[0 ..< 3]`.
    @inline(__always)
    private func store(_ sum: SIMD4<Float>, _ o: UnsafeMutablePointer<Float>) {
        o[0] = sum[0]; o[1] = sum[1]; o[2] = sum[2]
    }

    /// The pixel at `p` as floats, its red, green and blue in lanes 0–2; lane 3 holds the next byte.
    @inline(__always)
    private func pixel(_ p: UnsafePointer<UInt8>) -> SIMD4<Float> {
        let bytes = unsafeBitCast(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self), to: SIMD4<UInt8>.self)
        return SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: bytes))
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
