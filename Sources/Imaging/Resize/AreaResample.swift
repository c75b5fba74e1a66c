/// The `width × height` average of the rectangle `x0 ..< x1`, `y0 ..< y1` of `image` (in source
/// pixels, fractional): each output pixel is the mean of the source area under it, edge pixels
/// weighted by the part of them that area covers (a box filter with exact coverage).
///
/// Why: ``PDFDecoder`` renders a page at several times the size it needs and cuts the TrimBox out
/// of that. The TrimBox seldom starts on a pixel boundary, and a renderer places images on whole
/// pixels; averaging a finer render over the box's exact position keeps the cover where it is
/// instead of shifting or dropping a column of it.
func resampleArea(_ image: RGBImage, x0: Double, y0: Double, x1: Double, y1: Double, width: Int, height: Int) -> RGBImage {
    guard width > 0, height > 0, image.width > 0, image.height > 0, x1 > x0, y1 > y0 else {
        return RGBImage(width: max(width, 0), height: max(height, 0),
                        pixels: [UInt8](repeating: 127, count: max(width, 0) * max(height, 0) * 3))
    }
    let columns = AreaTaps(from: x0, to: x1, outSize: width, inSize: image.width)
    let rows = AreaTaps(from: y0, to: y1, outSize: height, inSize: image.height)
    // Horizontal pass over the rows any output row reads: [image.height, width, 3], unrounded.
    var across = [Float](repeating: 0, count: image.height * width * 3)
    let usedRows = (rows.first.first ?? 0) ..< min(image.height, (rows.first.last ?? 0) + (rows.weights.last?.count ?? 0))
    for y in usedRows {
        let rowStart = y * image.width * 3
        for x in 0 ..< width {
            var r: Float = 0, g: Float = 0, b: Float = 0
            for (k, weight) in columns.weights[x].enumerated() {
                let p = rowStart + (columns.first[x] + k) * 3
                r += weight * Float(image.pixels[p]); g += weight * Float(image.pixels[p + 1]); b += weight * Float(image.pixels[p + 2])
            }
            let o = (y * width + x) * 3
            across[o] = r; across[o + 1] = g; across[o + 2] = b
        }
    }
    // Vertical pass, rounded to bytes once.
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0 ..< height {
        for x in 0 ..< width {
            var sum: (Float, Float, Float) = (0, 0, 0)
            for (k, weight) in rows.weights[y].enumerated() {
                let p = ((rows.first[y] + k) * width + x) * 3
                sum.0 += weight * across[p]; sum.1 += weight * across[p + 1]; sum.2 += weight * across[p + 2]
            }
            let o = (y * width + x) * 3
            pixels[o] = byte(sum.0); pixels[o + 1] = byte(sum.1); pixels[o + 2] = byte(sum.2)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

private func byte(_ value: Float) -> UInt8 { UInt8(max(0, min(255, value.rounded()))) }

/// Along one axis: which source pixels each output pixel covers, and by how much (weights sum to 1).
private struct AreaTaps {
    /// [outSize] first source index.
    var first: [Int] = []
    /// [outSize] coverage of source pixels first, first + 1, …, normalised.
    var weights: [[Float]] = []

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
            weights.append(row.map(Float.init))
        }
    }
}
