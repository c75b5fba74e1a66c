/// The element-wise passes of BatchNorm in training: per-channel batch statistics, the fused
/// "normalise + affine + residual + clamp" forward, and the fused "clamp mask + BatchNorm" backward.
///
/// All three split the work by channel, and each channel is summed by one worker over the images in
/// order, so results do not depend on the thread count. Sums are taken in SIMD8 Float per plane and
/// added up in Double across planes.
extension Tensor {
    /// Mean and biased variance of every channel of x `[N, C, H, W]` over N·H·W values (two passes:
    /// the centred second pass avoids the cancellation of E[x²] − E[x]²).
    public static func channelStatistics(_ x: Tensor, workers: Int = Parallelism.workers) -> (mean: [Double], variance: [Double]) {
        precondition(x.rank == 4, "channel statistics need [N, C, H, W], got \(x.shape)")
        let (n, c, area) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var mean = [Double](repeating: 0, count: c), variance = mean
        let count = Double(n * area)
        x.storage.withUnsafeBufferPointer { xb in
        mean.withUnsafeMutableBufferPointer { mb in
        variance.withUnsafeMutableBufferPointer { vb in
            let (xp, mp, vp) = (xb.baseAddress!, mb.baseAddress!, vb.baseAddress!)
            parallelChunks(c, workers: workers) { channels in
                for channel in channels {
                    var sum = 0.0
                    for image in 0..<n { sum += Double(planeSum(xp + (image * c + channel) * area, area) { $0 }) }
                    let m = sum / count
                    let mf = SIMD8<Float>(repeating: Float(m))
                    var squares = 0.0
                    for image in 0..<n {
                        squares += Double(planeSum(xp + (image * c + channel) * area, area) { ($0 - mf) * ($0 - mf) })
                    }
                    mp[channel] = m
                    vp[channel] = squares / count
                }
            }
        }}}
        return (mean, variance)
    }

    /// `y = clamp(x·scale[c] + shift[c] + residual)`; x, residual, y: `[N, C, H, W]`.
    public static func channelAffine(_ x: Tensor, scale: [Float], shift: [Float], residual: Tensor? = nil,
                                     clamp: ClampRange = .none, workers: Int = Parallelism.workers) -> Tensor {
        let (c, area) = (x.shape[1], x.shape[2] * x.shape[3])
        precondition(scale.count == c && shift.count == c, "channel affine: \(scale.count) scales for \(c) channels")
        if let residual { precondition(residual.shape == x.shape, "residual \(residual.shape) for \(x.shape)") }
        var y = Tensor.uninitialized(shape: x.shape)
        x.storage.withUnsafeBufferPointer { xb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rp in
            let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
            let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
            parallelChunks(x.shape[0] * c, workers: workers) { planes in
                for plane in planes {
                    let (a, b) = (scale[plane % c], shift[plane % c])
                    let (av, bv) = (SIMD8<Float>(repeating: a), SIMD8<Float>(repeating: b))
                    let (src, dst, res) = (xp + plane * area, yp + plane * area, rp.map { $0 + plane * area })
                    var i = 0
                    while i + 8 <= area {
                        var v = load8(src + i) * av + bv
                        if let res { v += load8(res + i) }
                        // `clamped(lowerBound:upperBound:)` is not inlined here and cost 14% of a training step.
                        v = v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi)
                        store8(v, dst + i)
                        i += 8
                    }
                    while i < area {
                        var v = src[i] * a + b
                        if let res { v += res[i] }
                        dst[i] = min(max(v, clamp.lower), clamp.upper)
                        i += 1
                    }
                }
            }
        }}}
        return y
    }

    /// Backward of `y = clamp(γ·x̂ + β (+ residual))`, `x̂ = (z − mean)·invStd`, through the clamp and
    /// BatchNorm to the convolution output z. With g = dy where the clamp passed (lower < y < upper):
    ///
    ///     dβ = Σ g,   dγ = Σ g·x̂                          (sums over N·H·W per channel)
    ///     training (batch statistics):  dz = γ·invStd·(g − dβ/M − x̂·dγ/M)
    ///     frozen (running statistics):  dz = γ·invStd·g
    ///
    /// - dy, y, z: `[N, C, H, W]`; mean, invStd, gamma: C values.
    /// - Returns dz, dγ, dβ, and g itself when `maskedGradient` (the residual branch's gradient).
    public static func batchNormBackward(_ dy: Tensor, output y: Tensor, clamp: ClampRange, input z: Tensor,
                                         mean: [Float], invStd: [Float], gamma: [Float], batchStatistics: Bool,
                                         maskedGradient: Bool, workers: Int = Parallelism.workers)
        -> (input: Tensor, gamma: [Double], beta: [Double], masked: Tensor?) {
        let (n, c, area) = (z.shape[0], z.shape[1], z.shape[2] * z.shape[3])
        precondition(dy.shape == z.shape && y.shape == z.shape, "batch norm backward: dy \(dy.shape), y \(y.shape), z \(z.shape)")
        var dz = Tensor.uninitialized(shape: z.shape)
        var g = maskedGradient ? Tensor.uninitialized(shape: z.shape) : Tensor(shape: [0])
        var dGamma = [Double](repeating: 0, count: c), dBeta = dGamma
        let count = Float(n * area)
        dy.storage.withUnsafeBufferPointer { db in
        y.storage.withUnsafeBufferPointer { yb in
        z.storage.withUnsafeBufferPointer { zb in
        dz.storage.withUnsafeMutableBufferPointer { dzb in
        g.storage.withUnsafeMutableBufferPointer { gb in
        dGamma.withUnsafeMutableBufferPointer { dgb in
        dBeta.withUnsafeMutableBufferPointer { dbb in
            // An empty array may still hand out a (shared, unwritable) base address: decide by the flag.
            let gp = maskedGradient ? gb.baseAddress : nil
            let (dp, yp, zp, dzp) = (db.baseAddress!, yb.baseAddress!, zb.baseAddress!, dzb.baseAddress!)
            let (dgp, dbp) = (dgb.baseAddress!, dbb.baseAddress!)
            let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
            @inline(__always) func masked(_ d: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
                d.replacing(with: 0, where: .!((y .> lo) .& (y .< hi)))
            }
            parallelChunks(c, workers: workers) { channels in
                for channel in channels {
                    let mv = SIMD8<Float>(repeating: mean[channel]), sv = SIMD8<Float>(repeating: invStd[channel])
                    var sumG = 0.0, sumGX = 0.0
                    for image in 0..<n {
                        let o = (image * c + channel) * area
                        var (accG, accGX) = (SIMD8<Float>.zero, SIMD8<Float>.zero)
                        var (tailG, tailGX): (Float, Float) = (0, 0)
                        var i = 0
                        while i + 8 <= area {
                            let gv = masked(load8(dp + o + i), load8(yp + o + i))
                            accG += gv
                            accGX = accGX.addingProduct(gv, (load8(zp + o + i) - mv) * sv)
                            i += 8
                        }
                        while i < area {
                            let gi = yp[o + i] > clamp.lower && yp[o + i] < clamp.upper ? dp[o + i] : 0
                            tailG += gi
                            tailGX += gi * (zp[o + i] - mean[channel]) * invStd[channel]
                            i += 1
                        }
                        sumG += Double(accG.sum() + tailG)
                        sumGX += Double(accGX.sum() + tailGX)
                    }
                    dgp[channel] = sumGX
                    dbp[channel] = sumG
                    let k = gamma[channel] * invStd[channel]
                    let meanG = batchStatistics ? Float(sumG) / count : 0
                    let meanGX = batchStatistics ? Float(sumGX) / count : 0
                    let (kv, mg, mgx) = (SIMD8<Float>(repeating: k), SIMD8<Float>(repeating: meanG), SIMD8<Float>(repeating: meanGX))
                    for image in 0..<n {
                        let o = (image * c + channel) * area
                        var i = 0
                        while i + 8 <= area {
                            let gv = masked(load8(dp + o + i), load8(yp + o + i))
                            if let gp { store8(gv, gp + o + i) }
                            let xhat = (load8(zp + o + i) - mv) * sv
                            store8(kv * (gv - mg - xhat * mgx), dzp + o + i)
                            i += 8
                        }
                        while i < area {
                            let gi = yp[o + i] > clamp.lower && yp[o + i] < clamp.upper ? dp[o + i] : 0
                            if let gp { gp[o + i] = gi }
                            let xhat = (zp[o + i] - mean[channel]) * invStd[channel]
                            dzp[o + i] = k * (gi - meanG - xhat * meanGX)
                            i += 1
                        }
                    }
                }
            }
        }}}}}}}
        return (dz, dGamma, dBeta, maskedGradient ? g : nil)
    }
}

/// Σ f(x) over `count` values, SIMD8 lanes in Float.
@inline(__always)
func planeSum(_ p: UnsafePointer<Float>, _ count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Float {
    var acc = SIMD8<Float>.zero
    var i = 0
    while i + 8 <= count { acc += f(load8(p + i)); i += 8 }
    var total = acc.sum()
    while i < count {
        total += f(SIMD8(repeating: p[i]))[0]   // the same lane-wise f on one value
        i += 1
    }
    return total
}
