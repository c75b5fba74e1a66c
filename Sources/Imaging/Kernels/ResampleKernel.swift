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
    ///
    /// A pixel's three channels are summed together in the lanes of one `SIMD4<Int32>` (the fourth
    /// lane reads the next pixel's red and is thrown away): one 4-byte load, widen, multiply-add per
    /// tap instead of three of each. The integer sums are the same as channel by channel. The
    /// very last pixel of `source` has no fourth byte after it, so outputs that read it are summed
    /// a channel at a time.
    static func horizontal(_ source: [UInt8], sourceColumns: Range<Int>, rowCount: Int,
                           taps: ResampleTaps, columns: Range<Int>) -> [UInt8] {
        let outWidth = columns.count
        let inWidth = sourceColumns.count
        var out = [UInt8](repeating: 0, count: rowCount * outWidth * 3)
        let half = Int32(1 << (ResampleTaps.precisionBits - 1))
        source.withUnsafeBufferPointer { src in
            taps.weights.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { dst in
                    let lastPixel = src.baseAddress! + src.count - 3   // no byte after it to read
                    let lastOutput = dst.baseAddress! + dst.count - 3   // no byte after it to write
                    for r in 0..<rowCount {
                        let srcRow = src.baseAddress! + r * inWidth * 3
                        let dstRow = dst.baseAddress! + r * outWidth * 3
                        for (c, x) in columns.enumerated() {
                            let k = weights.baseAddress! + x * taps.stride
                            let p = srcRow + (taps.first[x] - sourceColumns.lowerBound) * 3
                            let n = taps.count[x]
                            let sum = p + (n - 1) * 3 < lastPixel
                                ? sumFourLanes(p, weights: k, taps: n, half: half)
                                : sumByChannel(p, weights: k, taps: n, half: half)
                            let bytes = SIMD4<UInt8>(truncatingIfNeeded: (sum &>> Int32(ResampleTaps.precisionBits))
                                .clamped(lowerBound: SIMD4(repeating: 0), upperBound: SIMD4(repeating: 255)))
                            let q = dstRow + c * 3
                            if q < lastOutput {
                                // Four bytes: the fourth lands on the next pixel's red, written after this.
                                UnsafeMutableRawPointer(q).storeBytes(of: bytes, as: SIMD4<UInt8>.self)
                            } else {
                                q[0] = bytes[0]; q[1] = bytes[1]; q[2] = bytes[2]
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `Σ pixel·weight + half` over `taps` consecutive RGB pixels from `p`, the three channels in
    /// lanes 0–2 (lane 3 is garbage). Reads one byte past the last pixel.
    @inline(__always)
    private static func sumFourLanes(_ p: UnsafePointer<UInt8>, weights k: UnsafePointer<Int32>, taps: Int,
                                     half: Int32) -> SIMD4<Int32> {
        var sum = SIMD4<Int32>(repeating: half)
        let raw = UnsafeRawPointer(p)
        for t in 0..<taps {
            let bytes = unsafeBitCast(raw.loadUnaligned(fromByteOffset: t * 3, as: UInt32.self), to: SIMD4<UInt8>.self)
            sum &+= SIMD4<Int32>(truncatingIfNeeded: bytes) &* k[t]
        }
        return sum
    }

    /// The same sums a channel at a time, reading only the pixels' own bytes.
    private static func sumByChannel(_ p: UnsafePointer<UInt8>, weights k: UnsafePointer<Int32>, taps: Int,
                                     half: Int32) -> SIMD4<Int32> {
        var sum = SIMD4<Int32>(repeating: half)
        for t in 0..<taps {
            let w = k[t]
            sum[0] = sum[0] &+ Int32(p[t * 3]) &* w
            sum[1] = sum[1] &+ Int32(p[t * 3 + 1]) &* w
            sum[2] = sum[2] &+ Int32(p[t * 3 + 2]) &* w
        }
        return sum
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
