import Support
/// Pooling kernels: max pooling (ResNet's stem) and global average pooling (every backbone's
/// embedding). Both work per channel plane and parallelise over planes.
extension Tensor {
    /// Max over each window; padded positions never win (PyTorch pads max pooling with −∞).
    /// x: `[N, C, H, W]` → `[N, C, Ho, Wo]`.
    public static func maxPool(_ x: Tensor, geometry g: ConvolutionGeometry,
                               compute: ComputeContext) -> Tensor {
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth,
                     "max pool input \(x.shape) does not match geometry \(g)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        var y = Tensor.uninitialized(shape: [n, c, ho, wo])
        x.storage.withUnsafeBufferPointer { xb in
        y.storage.withUnsafeMutableBufferPointer { yb in
            let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
            parallelChunks(n * c, workers: compute.workers) { range in
                // Separable: the max down each column of the window's rows (vectorised over the whole
                // row), then across each window of that row; padded positions are simply skipped.
                let columnMax = UnsafeMutablePointer<Float>.allocate(capacity: w)
                defer { columnMax.deallocate() }
                for plane in range {
                    let src = xp + plane * h * w, dst = yp + plane * ho * wo
                    for oy in 0..<ho {
                        let y0 = max(oy * g.stride - g.padTop, 0)
                        let y1 = min(oy * g.stride - g.padTop + g.kernelHeight, h)
                        guard y0 < y1 else {   // a window entirely in the padding
                            (dst + oy * wo).update(repeating: -Float.infinity, count: wo)
                            continue
                        }
                        columnMax.update(from: src + y0 * w, count: w)
                        for iy in (y0 + 1)..<y1 {
                            let row = src + iy * w
                            var i = 0
                            while i + 8 <= w { store8(max8(load8(columnMax + i), load8(row + i)), columnMax + i); i += 8 }
                            while i < w { columnMax[i] = max(columnMax[i], row[i]); i += 1 }
                        }
                        var ox = 0
                        while ox < wo {
                            // Eight windows inside the row at a time, tap by tap in the scalar loop's order.
                            if ox + 8 <= wo, let m = windowMax8(columnMax, width: w, firstWindow: ox, geometry: g) {
                                store8(m, dst + oy * wo + ox)
                                ox += 8
                                continue
                            }
                            let x0 = max(ox * g.stride - g.padLeft, 0)
                            let x1 = min(ox * g.stride - g.padLeft + g.kernelWidth, w)
                            var m = -Float.infinity
                            for ix in x0..<x1 { m = max(m, columnMax[ix]) }
                            dst[oy * wo + ox] = m
                            ox += 1
                        }
                    }
                }
            }
        }}
        return y
    }

    /// Mean over each channel plane: `[N, C, H, W]` → `[N, C]`, the pooled embedding.
    public func globalAveragePool() -> Tensor {
        precondition(rank == 4, "global average pool needs [N, C, H, W], got \(shape)")
        let planes = shape[0] * shape[1], area = shape[2] * shape[3]
        var y = Tensor.uninitialized(shape: [shape[0], shape[1]])
        storage.withUnsafeBufferPointer { xb in
            y.storage.withUnsafeMutableBufferPointer { yb in
                for plane in 0..<planes {
                    let src = xb.baseAddress! + plane * area
                    var sum = SIMD8<Float>.zero
                    var i = 0
                    while i + 8 <= area { sum += load8(src + i); i += 8 }
                    var total = sum.sum()
                    while i < area { total += src[i]; i += 1 }
                    yb[plane] = total / Float(area)
                }
            }
        }
        return y
    }
}

/// The maxima of the eight windows `firstWindow …` along a row of column maxima `width` wide, or nil
/// when a window reaches outside the row (or a load would) or the stride is neither 1 nor 2. At
/// batch 1 the scalar loop over every window had been 2 % of ResNet18's inference.
@inline(__always)
private func windowMax8(_ row: UnsafePointer<Float>, width: Int, firstWindow ox: Int,
                        geometry g: ConvolutionGeometry) -> SIMD8<Float>? {
    guard let left = eightWindowsLeft(firstWindow: ox, width: width, geometry: g) else { return nil }
    var m = max8(SIMD8(repeating: -Float.infinity), windowTaps8(row + left, stride: g.stride))
    for kx in 1..<g.kernelWidth { m = max8(m, windowTaps8(row + left + kx, stride: g.stride)) }
    return m
}

/// The first input column of the eight pooling windows `firstWindow …` along a row `width` wide, or
/// nil when a window reaches outside the row (or a `windowTaps8` load would) or the stride is neither
/// 1 nor 2: then the callers take their scalar path.
@inline(__always)
func eightWindowsLeft(firstWindow ox: Int, width: Int, geometry g: ConvolutionGeometry) -> Int? {
    let (stride, kernel) = (g.stride, g.kernelWidth)
    let left = ox * stride - g.padLeft
    guard stride == 1 || stride == 2, left >= 0,
          left + 7 * stride + kernel + (stride == 2 ? 1 : 0) <= width else { return nil }
    return left
}

/// One tap of eight windows `stride` (1 or 2) apart: `p[0], p[stride], …, p[7·stride]`.
@inline(__always)
func windowTaps8(_ p: UnsafePointer<Float>, stride: Int) -> SIMD8<Float> {
    stride == 1 ? load8(p) : UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self).evenHalf
}

/// Lane-wise maximum, written as a lane loop for the same reason as `clamp8`.
@inline(__always)
private func max8(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    var r = a
    for i in 0..<8 { r[i] = Swift.max(a[i], b[i]) }
    return r
}
