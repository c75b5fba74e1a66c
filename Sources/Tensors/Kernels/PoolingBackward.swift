import Support
/// Gradients of the pooling kernels in `Pooling.swift`.
extension Tensor {
    /// Max pooling: each output's gradient goes to the input position that won its window (the first
    /// maximum in row-major window order, PyTorch's tie rule); windows may overlap, so gradients add.
    /// dy: `[N, C, Ho, Wo]`, x: `[N, C, H, W]` (the forward's input) → dx `[N, C, H, W]`.
    public static func maxPoolBackward(_ dy: Tensor, input x: Tensor, geometry g: ConvolutionGeometry,
                                       compute: ComputeContext) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        precondition(dy.shape == [n, c, ho, wo], "max pool backward: dy \(dy.shape) for input \(x.shape)")
        var dx = Tensor(shape: x.shape)
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (xp, dp, dxp) = (xb.baseAddress!, db.baseAddress!, dxb.baseAddress!)
            parallelChunks(n * c, workers: compute.workers) { range in
                for plane in range {
                    let src = xp + plane * h * w, grad = dp + plane * ho * wo, dst = dxp + plane * h * w
                    for oy in 0..<ho {
                        let y0 = max(oy * g.stride - g.padTop, 0)
                        let y1 = min(oy * g.stride - g.padTop + g.kernelHeight, h)
                        var ox = 0
                        while ox < wo {
                            // Eight windows inside the row at a time: the winner by vector compares instead of
                            // a branch per tap (taken at random on real activations, so mispredicted half the time).
                            if ox + 8 <= wo, let winners = maxPoolWinners8(src, width: w, rows: y0..<y1, firstWindow: ox, geometry: g) {
                                for lane in 0..<8 { dst[Int(winners[lane])] += grad[oy * wo + ox + lane] }
                                ox += 8
                                continue
                            }
                            let x0 = max(ox * g.stride - g.padLeft, 0)
                            let x1 = min(ox * g.stride - g.padLeft + g.kernelWidth, w)
                            var best = -Float.infinity, at = -1
                            for iy in y0..<y1 {
                                for ix in x0..<x1 where src[iy * w + ix] > best || at < 0 {
                                    best = src[iy * w + ix]
                                    at = iy * w + ix
                                }
                            }
                            if at >= 0 { dst[at] += grad[oy * wo + ox] }
                            ox += 1
                        }
                    }
                }
            }
        }}}
        return dx
    }

    /// Global average pooling: every position of a plane receives `dy / (H·W)`.
    /// dy: `[N, C]` → dx `[N, C, H, W]`.
    public static func globalAveragePoolBackward(_ dy: Tensor, height: Int, width: Int) -> Tensor {
        precondition(dy.rank == 2, "global average pool backward needs [N, C], got \(dy.shape)")
        let area = height * width
        var dx = Tensor.uninitialized(shape: [dy.shape[0], dy.shape[1], height, width])
        let scale = 1 / Float(area)
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            for plane in 0..<dy.count {
                (dxb.baseAddress! + plane * area).update(repeating: dy.storage[plane] * scale, count: area)
            }
        }
        return dx
    }
}

/// The flat input index of the first maximum (row-major window order, as the scalar loop) of the
/// eight windows `firstWindow …` on input rows `rows` of a plane `width` wide, or nil when a window
/// reaches outside the row (or a load would) or the stride is neither 1 nor 2: the caller's scalar
/// loop takes those. The first tap seeds the maximum; a later one wins only when strictly greater.
@inline(__always)
private func maxPoolWinners8(_ src: UnsafePointer<Float>, width: Int, rows: Range<Int>, firstWindow ox: Int,
                             geometry g: ConvolutionGeometry) -> SIMD8<Int32>? {
    let (stride, kernel) = (g.stride, g.kernelWidth)
    let left = ox * stride - g.padLeft
    guard stride == 1 || stride == 2, !rows.isEmpty, left >= 0,
          left + 7 * stride + kernel + (stride == 2 ? 1 : 0) <= width else { return nil }
    let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(stride)
    var best = SIMD8<Float>(repeating: 0), winner = SIMD8<Int32>(repeating: 0)
    var first = true
    for iy in rows {
        for kx in 0..<kernel {
            let start = iy * width + left + kx
            let values = stride == 1 ? load8(src + start)
                                     : UnsafeRawPointer(src + start).loadUnaligned(as: SIMD16<Float>.self).evenHalf
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
    return winner
}
