/// The two passes of PIL's fixed-point resampling over interleaved RGB bytes.
///
/// Each pass computes `clip((Σ pixel·weight + 2^21) >> 22, 0, 255)` in 32-bit integers exactly as
/// Pillow's `ImagingResampleHorizontal_8bpc` / `…Vertical_8bpc` do. The intermediate image is
/// rounded to 8 bits between the passes; that rounding is part of PIL's result, so a float
/// implementation, or the passes in the other order, is off by one grey level on some pixels
/// (which order PIL uses is decided in `resizeBilinear`).
/// Integer sums are also order-independent, so the vertical pass can run over whole rows of bytes
/// (taps outer, columns inner) and vectorise without changing a single result.
///
/// Sums cannot overflow: weights are non-negative (triangle filter) and add up to 2^22 plus at
/// most half a unit per tap, so `255 · Σw + 2^21 < 2^31`. The wrapping operators only skip the checks.
enum ResampleKernel {
    /// Horizontal pass. `source` holds `[rowCount, sourceColumns.count, 3]`: the source columns
    /// `sourceColumns` of some rows. Writes the output columns `columns` of `taps` for every row
    /// → `[rowCount, columns.count, 3]`.
    static func horizontal(_ source: [UInt8], sourceColumns: Range<Int>, rowCount: Int,
                           taps: ResampleTaps, columns: Range<Int>) -> [UInt8] {
        let outWidth = columns.count
        let inWidth = sourceColumns.count
        var out = [UInt8](repeating: 0, count: rowCount * outWidth * 3)
        let half = Int32(1 << (ResampleTaps.precisionBits - 1))
        source.withUnsafeBufferPointer { src in
            taps.weights.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rowCount {
                        let srcRow = src.baseAddress! + r * inWidth * 3
                        let dstRow = dst.baseAddress! + r * outWidth * 3
                        for (c, x) in columns.enumerated() {
                            let k = weights.baseAddress! + x * taps.stride
                            var p = srcRow + (taps.first[x] - sourceColumns.lowerBound) * 3
                            var r0 = half, g0 = half, b0 = half
                            for t in 0..<taps.count[x] {
                                let w = k[t]
                                r0 = r0 &+ Int32(p[0]) &* w
                                g0 = g0 &+ Int32(p[1]) &* w
                                b0 = b0 &+ Int32(p[2]) &* w
                                p += 3
                            }
                            dstRow[c * 3] = clip8(r0)
                            dstRow[c * 3 + 1] = clip8(g0)
                            dstRow[c * 3 + 2] = clip8(b0)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Vertical pass. `source` holds rows `sourceRows` of the (horizontally resized) image, each
    /// `rowBytes` long; writes the output rows `rows` of `taps` → `[rows.count, rowBytes]`.
    static func vertical(_ source: [UInt8], rowBytes: Int, sourceRows: Range<Int>,
                         taps: ResampleTaps, rows: Range<Int>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rows.count * rowBytes)
        let half = Int32(1 << (ResampleTaps.precisionBits - 1))
        var accumulator = [Int32](repeating: 0, count: rowBytes)
        source.withUnsafeBufferPointer { src in
            taps.weights.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { dst in
                    accumulator.withUnsafeMutableBufferPointer { acc in
                        let a = acc.baseAddress!
                        for (r, y) in rows.enumerated() {
                            for i in 0..<rowBytes { a[i] = half }
                            let k = weights.baseAddress! + y * taps.stride
                            for t in 0..<taps.count[y] {
                                let w = k[t]
                                let srcRow = src.baseAddress! + (taps.first[y] + t - sourceRows.lowerBound) * rowBytes
                                for i in 0..<rowBytes { a[i] = a[i] &+ Int32(srcRow[i]) &* w }
                            }
                            let dstRow = dst.baseAddress! + r * rowBytes
                            for i in 0..<rowBytes { dstRow[i] = clip8(a[i]) }
                        }
                    }
                }
            }
        }
        return out
    }

    /// PIL's `clip8`: drop the fraction bits, clamp to a byte.
    @inline(__always)
    private static func clip8(_ sum: Int32) -> UInt8 {
        let v = sum >> Int32(ResampleTaps.precisionBits)
        return v < 0 ? 0 : v > 255 ? 255 : UInt8(truncatingIfNeeded: v)
    }
}
