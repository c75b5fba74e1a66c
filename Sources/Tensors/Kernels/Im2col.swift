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
    if stride == 2 {
        im2colStride2(image, channels: channels, geometry: g, columns: columns, into: destination, ld: ld)
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
                } else {   // stride 2 went to im2colStride2 above
                    for ox in lo..<hi { out[ox] = src[ox * stride] }
                }
                for ox in hi..<oxEnd { out[ox] = 0 }
            }
            j += oxEnd - oxStart
        }
    }
}

/// `im2col` at stride 2: each input row an output row reads is zero-padded at both ends and split
/// into its even and odd columns once, for all `kw` taps of that kernel row; each tap's run is then
/// one contiguous copy from one half (padded column `2·ox + kx` is half `kx % 2`, entry `ox + kx / 2`).
///
/// Gathering every other column tap by tap, with the zero padding and the row ends handled per tap,
/// had made im2col 3 % of a ResNet18 training step (its 7×7 stem unfolds 147 rows of 12544 columns
/// per image, twice: forward and weight gradient).
private func im2colStride2(_ image: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
                           columns: Range<Int>, into destination: UnsafeMutablePointer<Float>, ld: Int) {
    let (height, width, outWidth) = (g.inputHeight, g.inputWidth, g.outputWidth)
    let (kh, kw) = (g.kernelHeight, g.kernelWidth)
    guard !columns.isEmpty else { return }
    let half = outWidth + kw / 2 + 1   // entries of each half a run can reach
    let halves = UnsafeMutablePointer<Float>.allocate(capacity: 2 * half)
    defer { halves.deallocate() }
    let (even, odd) = (halves, halves + half)
    let firstRow = columns.lowerBound / outWidth, lastRow = (columns.upperBound - 1) / outWidth
    for c in 0..<channels {
        for ky in 0..<kh {
            let rows = destination + (c * kh + ky) * kw * ld   // the kw rows of taps (c, ky, ·)
            for oy in firstRow...lastRow {
                // Output columns oxStart..<oxEnd of row oy, at `out` in each tap's row.
                let oxStart = oy == firstRow ? columns.lowerBound - oy * outWidth : 0
                let oxEnd = oy == lastRow ? columns.upperBound - oy * outWidth : outWidth
                let out = oy * outWidth + oxStart - columns.lowerBound
                let iy = 2 * oy - g.padTop + ky
                guard iy >= 0 && iy < height else {
                    for kx in 0..<kw { (rows + kx * ld + out).update(repeating: 0, count: oxEnd - oxStart) }
                    continue
                }
                splitEvenOdd(image + (c * height + iy) * width, width: width, padLeft: g.padLeft,
                             count: half, even: even, odd: odd)
                for kx in 0..<kw {
                    let source = (kx % 2 == 0 ? even : odd) + kx / 2
                    copyRun(source + oxStart, to: rows + kx * ld + out, count: oxEnd - oxStart)
                }
            }
        }
    }
}

/// `even[q]` and `odd[q]`, q < count: padded columns 2q and 2q + 1 of a row `width` wide with
/// `padLeft` zeros before it and zeros after it (padded column p is input column p − padLeft).
@inline(__always)
private func splitEvenOdd(_ row: UnsafePointer<Float>, width: Int, padLeft: Int, count: Int,
                          even: UnsafeMutablePointer<Float>, odd: UnsafeMutablePointer<Float>) {
    @inline(__always) func value(_ p: Int) -> Float {
        let ix = p - padLeft
        return ix >= 0 && ix < width ? row[ix] : 0
    }
    var q = 0
    // Up to where the pair's input columns start inside the row, one pair at a time.
    while q < count && 2 * q - padLeft < 0 {
        (even[q], odd[q]) = (value(2 * q), value(2 * q + 1))
        q += 1
    }
    // Eight pairs at a time while all sixteen input columns lie inside the row.
    while q + 8 <= count && 2 * q - padLeft + 16 <= width {
        let v = UnsafeRawPointer(row + 2 * q - padLeft).loadUnaligned(as: SIMD16<Float>.self)
        store8(v.evenHalf, even + q)
        store8(v.oddHalf, odd + q)
        q += 8
    }
    while q < count {
        (even[q], odd[q]) = (value(2 * q), value(2 * q + 1))
        q += 1
    }
}

/// `count` floats from `source` to a `destination` that does not overlap it, inline: eight at a time
/// and the last eight again (overlapping what is already written, with the same values). A `memmove`
/// call per run of about a hundred floats cost as much as the copying.
@inline(__always)
private func copyRun(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    guard count >= 8 else {
        for i in 0..<count { destination[i] = source[i] }
        return
    }
    var i = 0
    while i + 8 <= count {
        store8(load8(source + i), destination + i)
        i += 8
    }
    if i < count { store8(load8(source + count - 8), destination + count - 8) }
}
