import CResample

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
    /// The weights of an output pixel are the same in every row, so the C kernel
    /// (`cl_resample_horizontal_rgb`) runs eight rows through them at once, one row per lane of an
    /// AVX2 vector, after turning the eight rows' bytes into columns; a pixel at a time, as Pillow
    /// loops, the taps' weights would change under every vector. Same integer sums, same bytes.
    static func horizontal(_ source: [UInt8], sourceColumns: Range<Int>, rowCount: Int,
                           taps: ResampleTaps, columns: Range<Int>) -> [UInt8] {
        let outWidth = columns.count
        let inWidth = sourceColumns.count
        var out = [UInt8](repeating: 0, count: rowCount * outWidth * 3)
        guard rowCount > 0, outWidth > 0 else { return out }
        source.withUnsafeBufferPointer { src in
            taps.first.withUnsafeBufferPointer { first in
                taps.count.withUnsafeBufferPointer { count in
                    taps.weights.withUnsafeBufferPointer { weights in
                        out.withUnsafeMutableBufferPointer { dst in
                            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24 * (inWidth + outWidth)) { scratch in
                                cl_resample_horizontal_rgb(
                                    src.baseAddress!, rowCount, inWidth, sourceColumns.lowerBound,
                                    dst.baseAddress!, outWidth,
                                    first.baseAddress! + columns.lowerBound, count.baseAddress! + columns.lowerBound,
                                    weights.baseAddress! + columns.lowerBound * taps.stride, taps.stride,
                                    Int32(ResampleTaps.precisionBits), scratch.baseAddress!)
                            }
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
