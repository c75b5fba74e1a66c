import Support
/// Max pooling in training: the maxima and, for the backward, which input position won each window.
///
/// PyTorch's training forward keeps the same indices (`max_pool2d_with_indices`). Finding the
/// winners again in the backward, from the forward's input, had read ResNet18's 102 MB stem
/// activation (batch 32) once more and run the branchy search a second time: 2 % of a training step.
extension Tensor {
    /// x: `[N, C, H, W]` → the max of each window `[N, C, Ho, Wo]` (the same values as `maxPool`) and
    /// the flat in-plane index `iy · W + ix` of each window's first maximum in row-major window order
    /// (PyTorch's tie rule). Padded positions never win; every window must reach into the input.
    public static func maxPoolWithWinners(_ x: Tensor, geometry g: ConvolutionGeometry,
                                          compute: ComputeContext) -> (output: Tensor, winners: [Int32]) {
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth,
                     "max pool input \(x.shape) does not match geometry \(g)")
        precondition(x.shape[2] * x.shape[3] <= Int(Int32.max), "max pool plane \(x.shape) too large for Int32 indices")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        var y = Tensor.uninitialized(shape: [n, c, ho, wo])
        let count = n * c * ho * wo
        let winners = [Int32](unsafeUninitializedCapacity: count) { wb, initialized in
            initialized = count   // every entry is written below: no clearing of a 25 MB array first
            x.storage.withUnsafeBufferPointer { xb in
            y.storage.withUnsafeMutableBufferPointer { yb in
                let (xp, yp, wp) = (xb.baseAddress!, yb.baseAddress!, wb.baseAddress!)
                parallelChunks(n * c, workers: compute.workers) { range in
                    for plane in range {
                        let src = xp + plane * h * w, dst = yp + plane * ho * wo, won = wp + plane * ho * wo
                        for oy in 0..<ho {
                            let rows = max(oy * g.stride - g.padTop, 0) ..< min(oy * g.stride - g.padTop + g.kernelHeight, h)
                            precondition(!rows.isEmpty, "max pool window row \(oy) lies in the padding: \(g)")
                            var ox = 0
                            while ox < wo {
                                let out = oy * wo + ox
                                // Eight windows inside the row at a time: the winner by vector compares instead of
                                // a branch per tap (taken at random on real activations, so mispredicted half the time).
                                if ox + 8 <= wo, let eight = maxPoolWinners8(src, width: w, rows: rows, firstWindow: ox, geometry: g) {
                                    store8(eight.best, dst + out)
                                    UnsafeMutableRawPointer(won + out).storeBytes(of: eight.winner, as: SIMD8<Int32>.self)
                                    ox += 8
                                    continue
                                }
                                let columns = max(ox * g.stride - g.padLeft, 0) ..< min(ox * g.stride - g.padLeft + g.kernelWidth, w)
                                precondition(!columns.isEmpty, "max pool window column \(ox) lies in the padding: \(g)")
                                (dst[out], won[out]) = maxPoolWinner(src, width: w, rows: rows, columns: columns)
                                ox += 1
                            }
                        }
                    }
                }
            }}
        }
        return (y, winners)
    }
}

/// The maxima and flat input indices of the first maximum (row-major window order) of the eight
/// windows `firstWindow …` on input rows `rows` of a plane `width` wide, or nil where
/// `eightWindowsLeft` says the caller's scalar path takes them. The first tap seeds the maximum; a
/// later one wins only when strictly greater.
@inline(__always)
private func maxPoolWinners8(_ src: UnsafePointer<Float>, width: Int, rows: Range<Int>, firstWindow ox: Int,
                             geometry g: ConvolutionGeometry) -> (best: SIMD8<Float>, winner: SIMD8<Int32>)? {
    guard let left = eightWindowsLeft(firstWindow: ox, width: width, geometry: g) else { return nil }
    let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(g.stride)
    var best = SIMD8<Float>(repeating: 0), winner = SIMD8<Int32>(repeating: 0)
    var first = true
    for iy in rows {
        for kx in 0..<g.kernelWidth {
            let start = iy * width + left + kx
            let values = windowTaps8(src + start, stride: g.stride)
            let at = lanes &+ Int32(start)
            if first {
                (best, winner, first) = (values, at, false)
            } else {
                let wins = values .> best
                best.replace(with: values, where: wins)
                winner.replace(with: at, where: wins)
            }
        }
    }
    return (best, winner)
}

/// One window's maximum and the flat index of its first maximum, as `maxPoolWinners8` per lane:
/// selects rather than branches, so a random winner costs no misprediction.
@inline(__always)
private func maxPoolWinner(_ src: UnsafePointer<Float>, width: Int, rows: Range<Int>, columns: Range<Int>) -> (Float, Int32) {
    var at = rows.lowerBound * width + columns.lowerBound
    var best = src[at]
    for iy in rows {
        for ix in columns {
            let i = iy * width + ix
            let v = src[i]
            let wins = v > best
            best = wins ? v : best
            at = wins ? i : at
        }
    }
    return (best, Int32(at))
}
