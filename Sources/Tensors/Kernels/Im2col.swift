/// Unfolds the receptive fields of output positions `columns` of one image into matrix columns, so a
/// convolution becomes one GEMM: `W [Cout, Cin·kh·kw] · cols [Cin·kh·kw, columns]`.
///
/// - image: `[Cin, H, W]` of one image.
/// - destination: `[Cin·kh·kw, columns.count]`, row `(c·kh + ky)·kw + kx` (PyTorch's OIHW flattening),
///   rows `rowStride` apart (default `columns.count`; larger when several images share one matrix).
/// Only a range of output positions is unfolded so the column buffer stays cache-sized.
func im2col(_ image: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
            columns: Range<Int>, into destination: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let height = g.inputHeight, width = g.inputWidth, stride = g.stride
    let outWidth = g.outputWidth
    let ld = rowStride ?? columns.count
    if g.isPointwise {
        // Each row is a run of the channel's plane (grouped 1×1 layers put images side by side).
        for c in 0..<channels {
            (destination + c * ld).update(from: image + c * height * width + columns.lowerBound, count: columns.count)
        }
        return
    }
    g.forEachTap(channels: channels) { row, c, ky, kx in
        let dst = destination + row * ld
        let shift = kx - g.padLeft
        let valid = g.columnsInside(kx: kx)
        var j = columns.lowerBound
        while j < columns.upperBound {
            let oy = j / outWidth
            let oxStart = j - oy * outWidth
            let oxEnd = min(outWidth, oxStart + (columns.upperBound - j))
            let out = dst + (j - columns.lowerBound) - oxStart   // indexed by ox
            let iy = oy * stride - g.padTop + ky
            if iy < 0 || iy >= height {
                for ox in oxStart..<oxEnd { out[ox] = 0 }
            } else {
                let src = image + (c * height + iy) * width + shift
                let lo = min(max(valid.lowerBound, oxStart), oxEnd)
                let hi = max(min(valid.upperBound, oxEnd), lo)
                for ox in oxStart..<lo { out[ox] = 0 }
                if stride == 1 {
                    (out + lo).update(from: src + lo, count: hi - lo)
                } else if stride == 2 {
                    // Every other input column: eight at a time as the even lanes of a 16-wide load,
                    // while the load stays inside this input row.
                    var ox = lo
                    while ox + 8 <= hi && 2 * ox + 16 + shift <= width {
                        store8(UnsafeRawPointer(src + 2 * ox).loadUnaligned(as: SIMD16<Float>.self).evenHalf, out + ox)
                        ox += 8
                    }
                    while ox < hi { out[ox] = src[2 * ox]; ox += 1 }
                } else {
                    for ox in lo..<hi { out[ox] = src[ox * stride] }
                }
                for ox in hi..<oxEnd { out[ox] = 0 }
            }
            j += oxEnd - oxStart
        }
    }
}
