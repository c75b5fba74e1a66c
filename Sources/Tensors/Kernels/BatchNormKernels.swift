import Support
/// The element-wise passes of BatchNorm in training: per-channel batch statistics, the fused
/// "normalise + affine + residual + clamp" forward, and the fused "clamp mask + BatchNorm" backward.
///
/// All three split the work by channel, and each channel is summed by one worker over the images in
/// order, so results do not depend on the thread count. The statistics accumulate in Double, the
/// backward's sums in SIMD8 Float per plane added up in Double across planes: both as PyTorch's
/// float32 CPU kernels do, whose rounding (fused multiply-adds included) these passes follow.
extension Tensor {
    /// Mean and centred sum of squares Σ(x − mean)² of every channel of x `[N, C, H, W]` over N·H·W
    /// values, rounded as PyTorch's CPU kernel rounds them: the sum accumulated in Double and the
    /// mean rounded to Float, then the squares `(x − mean)²` formed in Float, accumulated in Double
    /// and rounded to Float (two passes avoid the cancellation of E[x²] − E[x]²).
    ///
    /// Why Double: a 112×112 plane summed in Float lanes carries relative errors of ~1e-6 into every
    /// normalised value; with batch statistics that moved ReLU kinks in the ResNet18 training
    /// reference which PyTorch's float32 step does not move.
    public static func channelStatistics(_ x: Tensor, compute: ComputeContext) -> (mean: [Float], sumOfSquares: [Float]) {
        precondition(x.rank == 4, "channel statistics need [N, C, H, W], got \(x.shape)")
        let (n, c, area) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var mean = [Float](repeating: 0, count: c), squares = mean
        let count = Double(n * area)
        x.storage.withUnsafeBufferPointer { xb in
        mean.withUnsafeMutableBufferPointer { mb in
        squares.withUnsafeMutableBufferPointer { sb in
            let (xp, mp, sp) = (xb.baseAddress!, mb.baseAddress!, sb.baseAddress!)
            parallelChunks(c, workers: compute.workers) { channels in
                for channel in channels {
                    var sum = 0.0
                    for image in 0..<n { sum += planeSumDouble(xp + (image * c + channel) * area, area) { $0 } }
                    let m = Float(sum / count)
                    let mv = SIMD8<Float>(repeating: m)
                    var total = 0.0
                    for image in 0..<n {
                        total += planeSumDouble(xp + (image * c + channel) * area, area) { ($0 - mv) * ($0 - mv) }
                    }
                    mp[channel] = m
                    sp[channel] = Float(total)
                }
            }
        }}}
        return (mean, squares)
    }

    /// `y = clamp(x·scale[c] + shift[c] + residual)`; x, residual, y: `[N, C, H, W]`.
    ///
    /// `x·scale + shift` is one fused multiply-add, rounded once, as PyTorch's (FMA-contracted)
    /// kernel computes it: where BatchNorm's output nearly cancels the residual, the extra rounding
    /// of a separate multiply moved ReLU kinks that PyTorch's float32 training step does not move.
    public static func channelAffine(_ x: Tensor, scale: [Float], shift: [Float], residual: Tensor? = nil,
                                     clamp: ClampRange = .none, compute: ComputeContext) -> Tensor {
        let (c, area) = (x.shape[1], x.shape[2] * x.shape[3])
        precondition(scale.count == c && shift.count == c, "channel affine: \(scale.count) scales for \(c) channels")
        if let residual { precondition(residual.shape == x.shape, "residual \(residual.shape) for \(x.shape)") }
        var y = Tensor.uninitialized(shape: x.shape)
        x.storage.withUnsafeBufferPointer { xb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rp in
            let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
            let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
            parallelChunks(x.shape[0] * c, workers: compute.workers) { planes in
                for plane in planes {
                    let (a, b) = (scale[plane % c], shift[plane % c])
                    let (av, bv) = (SIMD8<Float>(repeating: a), SIMD8<Float>(repeating: b))
                    let (src, dst, res) = (xp + plane * area, yp + plane * area, rp.map { $0 + plane * area })
                    var i = 0
                    while i + 8 <= area {
                        var v = bv.addingProduct(load8(src + i), av)
                        if let res { v += load8(res + i) }
                        // `clamped(lowerBound:upperBound:)` is not inlined here and cost 14% of a training step.
                        v = v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi)
                        store8(v, dst + i)
                        i += 8
                    }
                    while i < area {
                        var v = b.addingProduct(src[i], a)
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
    /// BatchNorm to the convolution output z. With g = dy where the clamp passed (lower < y < upper),
    /// in PyTorch's formulation and rounding order:
    ///
    ///     Σg and dot = Σ (z − mean)·g          (Float per plane, Double across images)
    ///     dβ = Σg,   dγ = dot·invStd
    ///     training (batch statistics):  dz = ((g − Σg/M) − (z − mean)·k)·invStd·γ,  k = dot·invStd²/M
    ///     frozen (running statistics):  dz = g·invStd·γ
    ///
    /// - dy, y, z: `[N, C, H, W]`; mean, invStd, gamma: C values.
    /// - Returns dz, dγ, dβ, and g itself when `maskedGradient` (the residual branch's gradient).
    public static func batchNormBackward(_ dy: Tensor, output y: Tensor, clamp: ClampRange, input z: Tensor,
                                         mean: [Float], invStd: [Float], gamma: [Float], batchStatistics: Bool,
                                         maskedGradient: Bool, compute: ComputeContext)
        -> (input: Tensor, gamma: [Double], beta: [Double], masked: Tensor?) {
        let (n, c, area) = (z.shape[0], z.shape[1], z.shape[2] * z.shape[3])
        precondition(dy.shape == z.shape && y.shape == z.shape, "batch norm backward: dy \(dy.shape), y \(y.shape), z \(z.shape)")
        var dz = Tensor.uninitialized(shape: z.shape)
        var g = maskedGradient ? Tensor.uninitialized(shape: z.shape) : Tensor(shape: [0])
        var dGamma = [Double](repeating: 0, count: c), dBeta = dGamma
        let count = n * area
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
            @inline(__always) func masked(_ d: Float, _ y: Float) -> Float {
                y > clamp.lower && y < clamp.upper ? d : 0
            }
            parallelChunks(c, workers: compute.workers) { channels in
                for channel in channels {
                    let m = mean[channel]
                    let mv = SIMD8<Float>(repeating: m)
                    var sum = 0.0, dot = 0.0
                    for image in 0..<n {
                        let o = (image * c + channel) * area
                        var (accG, accDot) = (SIMD8<Float>.zero, SIMD8<Float>.zero)
                        var (tailG, tailDot): (Float, Float) = (0, 0)
                        var i = 0
                        while i + 8 <= area {
                            let gv = masked(load8(dp + o + i), load8(yp + o + i))
                            accG += gv
                            accDot = accDot.addingProduct(load8(zp + o + i) - mv, gv)
                            i += 8
                        }
                        while i < area {
                            let gi = masked(dp[o + i], yp[o + i])
                            tailG += gi
                            tailDot = tailDot.addingProduct(zp[o + i] - m, gi)
                            i += 1
                        }
                        sum += Double(accG.sum() + tailG)
                        dot += Double(accDot.sum() + tailDot)
                    }
                    let s = invStd[channel], w = gamma[channel]
                    dgp[channel] = Double(Float(dot * Double(s)))
                    dbp[channel] = Double(Float(sum))
                    let k = batchStatistics ? Float(dot) * s * s / Float(count) : 0
                    let gradMean = batchStatistics ? Float(sum / Double(count)) : 0
                    let (kv, gm, sv, wv) = (SIMD8<Float>(repeating: -k), SIMD8<Float>(repeating: gradMean),
                                            SIMD8<Float>(repeating: s), SIMD8<Float>(repeating: w))
                    // Last image first: what the sums read last is still in the cache (a layer1 channel,
                    // 32 images of dy, y and z, is 1.2 MB; the stem's 4.8 MB). Element-wise: same bits.
                    for image in (0..<n).reversed() {
                        let o = (image * c + channel) * area
                        var i = 0
                        while i + 8 <= area {
                            let gv = masked(load8(dp + o + i), load8(yp + o + i))
                            if let gp { store8(gv, gp + o + i) }
                            store8((gv - gm).addingProduct(load8(zp + o + i) - mv, kv) * sv * wv, dzp + o + i)
                            i += 8
                        }
                        while i < area {
                            let gi = masked(dp[o + i], yp[o + i])
                            if let gp { gp[o + i] = gi }
                            dzp[o + i] = (gi - gradMean).addingProduct(zp[o + i] - m, -k) * s * w
                            i += 1
                        }
                    }
                }
            }
        }}}}}}}
        return (dz, dGamma, dBeta, maskedGradient ? g : nil)
    }
}

/// Σ f(x) over `count` values: f in Float SIMD8 lanes, every lane's result accumulated in Double.
@inline(__always)
func planeSumDouble(_ p: UnsafePointer<Float>, _ count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Double {
    var (low, high) = (SIMD4<Double>.zero, SIMD4<Double>.zero)
    var i = 0
    while i + 8 <= count {
        let v = f(load8(p + i))
        low += SIMD4<Double>(v.lowHalf)
        high += SIMD4<Double>(v.highHalf)
        i += 8
    }
    var total = (low + high).sum()
    while i < count {
        total += Double(f(SIMD8(repeating: p[i]))[0])
        i += 1
    }
    return total
}
