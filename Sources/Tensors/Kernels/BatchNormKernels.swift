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
    /// - dy, z: `[N, C, H, W]`; mean, invStd, gamma: C values; `gate`: where the clamp passed.
    /// - Returns dz, dγ, dβ, and g itself when `maskedGradient` (the residual branch's gradient).
    public static func batchNormBackward(_ dy: Tensor, gate: ClampGate, input z: Tensor,
                                         mean: [Float], invStd: [Float], gamma: [Float], batchStatistics: Bool,
                                         maskedGradient: Bool, compute: ComputeContext)
        -> (input: Tensor, gamma: [Double], beta: [Double], masked: Tensor?) {
        let (n, c, area) = (z.shape[0], z.shape[1], z.shape[2] * z.shape[3])
        precondition(dy.shape == z.shape, "batch norm backward: dy \(dy.shape), z \(z.shape)")
        var dz = Tensor.uninitialized(shape: z.shape)
        var g = maskedGradient ? Tensor.uninitialized(shape: z.shape) : Tensor(shape: [0])
        var dGamma = [Double](repeating: 0, count: c), dBeta = dGamma
        let y: Tensor
        if case .output(let output, _) = gate {
            precondition(output.shape == z.shape, "batch norm backward: y \(output.shape), z \(z.shape)")
            y = output
        } else {
            y = Tensor(shape: [0])
        }
        if case .affine(let scale, let shift, _) = gate { precondition(scale.count == c && shift.count == c, "batch norm backward: \(scale.count) scales for \(c) channels") }
        dy.storage.withUnsafeBufferPointer { db in
        y.storage.withUnsafeBufferPointer { yb in
        z.storage.withUnsafeBufferPointer { zb in
        dz.storage.withUnsafeMutableBufferPointer { dzb in
        g.storage.withUnsafeMutableBufferPointer { gb in
        dGamma.withUnsafeMutableBufferPointer { dgb in
        dBeta.withUnsafeMutableBufferPointer { dbb in
            // An empty array may still hand out a (shared, unwritable) base address: decide by the flag.
            let planes = BatchNormBackwardPlanes(images: n, channels: c, area: area, dy: db.baseAddress!, z: zb.baseAddress!,
                                                 dz: dzb.baseAddress!, masked: maskedGradient ? gb.baseAddress : nil)
            let (dgp, dbp) = (dgb.baseAddress!, dbb.baseAddress!)
            parallelChunks(c, workers: compute.workers) { channels in
                for channel in channels {
                    let parameters = (mean: mean[channel], invStd: invStd[channel], gamma: gamma[channel], batch: batchStatistics)
                    let sums: (gamma: Double, beta: Double)
                    switch gate {
                    case .open:
                        sums = planes.channel(channel, gate: OpenGate(), parameters)
                    case .output(_, let clamp):
                        sums = planes.channel(channel, gate: OutputGate(y: yb.baseAddress!, clamp: clamp), parameters)
                    case .affine(let scale, let shift, let clamp):
                        sums = planes.channel(channel, gate: AffineGate(scale: scale[channel], shift: shift[channel], clamp: clamp),
                                              parameters)
                    }
                    (dgp[channel], dbp[channel]) = sums
                }
            }
        }}}}}}}
        return (dz, dGamma, dBeta, maskedGradient ? g : nil)
    }
}

/// Where BatchNorm's backward learns which values the forward's clamp let through (`y = clamp(v)`,
/// `v = z·scale + shift (+ residual)`): the gradient passes where `lower < y < upper`.
public enum ClampGate: Sendable {
    /// No clamp (no activation): everything passes, nothing to read.
    case open
    /// From the forward's output y: needed where a residual was added before the clamp.
    case output(Tensor, clamp: ClampRange)
    /// Recomputed from z exactly as the forward computed it (`shift + z·scale` in one rounding; no
    /// residual): the same bits as reading y, without reading y (a third of the first pass's memory
    /// traffic; ResNet18's stem output alone is 102 MB at batch 32).
    case affine(scale: [Float], shift: [Float], clamp: ClampRange)
}

/// The clamp's pass mask of one channel, as `ClampGate` says: `gradient(d, z:, at:)` is d where
/// the forward's clamp passed and 0 elsewhere; `at` is the flat offset into `[N, C, H, W]`.
private protocol GradientGate {
    func gradient(_ d: SIMD8<Float>, z: SIMD8<Float>, at i: Int) -> SIMD8<Float>
    func gradient(_ d: Float, z: Float, at i: Int) -> Float
}

private struct OpenGate: GradientGate {
    @inline(__always) func gradient(_ d: SIMD8<Float>, z: SIMD8<Float>, at i: Int) -> SIMD8<Float> { d }
    @inline(__always) func gradient(_ d: Float, z: Float, at i: Int) -> Float { d }
}

private struct OutputGate: GradientGate {
    let y: UnsafePointer<Float>
    let (lower, upper): (Float, Float)
    let (lo, hi): (SIMD8<Float>, SIMD8<Float>)
    init(y: UnsafePointer<Float>, clamp: ClampRange) {
        (self.y, lower, upper) = (y, clamp.lower, clamp.upper)
        (lo, hi) = (SIMD8(repeating: clamp.lower), SIMD8(repeating: clamp.upper))
    }
    @inline(__always) func gradient(_ d: SIMD8<Float>, z: SIMD8<Float>, at i: Int) -> SIMD8<Float> {
        let v = load8(y + i)
        return d.replacing(with: 0, where: .!((v .> lo) .& (v .< hi)))
    }
    @inline(__always) func gradient(_ d: Float, z: Float, at i: Int) -> Float {
        y[i] > lower && y[i] < upper ? d : 0
    }
}

/// `lower < clamp(v) < upper` exactly when `lower < v < upper` (NaN fails both), so the mask of v is y's.
private struct AffineGate: GradientGate {
    let (scale, shift, lower, upper): (Float, Float, Float, Float)
    let (sv, bv, lo, hi): (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
    init(scale: Float, shift: Float, clamp: ClampRange) {
        (self.scale, self.shift, lower, upper) = (scale, shift, clamp.lower, clamp.upper)
        (sv, bv, lo, hi) = (SIMD8(repeating: scale), SIMD8(repeating: shift), SIMD8(repeating: clamp.lower), SIMD8(repeating: clamp.upper))
    }
    @inline(__always) func gradient(_ d: SIMD8<Float>, z: SIMD8<Float>, at i: Int) -> SIMD8<Float> {
        let v = bv.addingProduct(z, sv)   // as `channelAffine`
        return d.replacing(with: 0, where: .!((v .> lo) .& (v .< hi)))
    }
    @inline(__always) func gradient(_ d: Float, z: Float, at i: Int) -> Float {
        let v = shift.addingProduct(z, scale)
        return v > lower && v < upper ? d : 0
    }
}

/// The tensors of one `batchNormBackward`, and its two passes over one channel.
private struct BatchNormBackwardPlanes {
    let images, channels, area: Int
    let dy, z: UnsafePointer<Float>
    let dz: UnsafeMutablePointer<Float>
    let masked: UnsafeMutablePointer<Float>?

    /// Both passes over `channel`'s planes; returns (dγ, dβ) as Doubles of Float values.
    @inline(__always)
    func channel<Gate: GradientGate>(_ channel: Int, gate: Gate,
                                     _ p: (mean: Float, invStd: Float, gamma: Float, batch: Bool)) -> (gamma: Double, beta: Double) {
        let (n, area, count) = (images, area, images * area)
        let m = p.mean
        let mv = SIMD8<Float>(repeating: m)
        var sum = 0.0, dot = 0.0
        for image in 0..<n {
            let o = (image * channels + channel) * area
            var (accG, accDot) = (SIMD8<Float>.zero, SIMD8<Float>.zero)
            var (tailG, tailDot): (Float, Float) = (0, 0)
            var i = 0
            while i + 8 <= area {
                let zv = load8(z + o + i)
                let gv = gate.gradient(load8(dy + o + i), z: zv, at: o + i)
                accG += gv
                accDot = accDot.addingProduct(zv - mv, gv)
                i += 8
            }
            while i < area {
                let gi = gate.gradient(dy[o + i], z: z[o + i], at: o + i)
                tailG += gi
                tailDot = tailDot.addingProduct(z[o + i] - m, gi)
                i += 1
            }
            sum += Double(accG.sum() + tailG)
            dot += Double(accDot.sum() + tailDot)
        }
        let (s, w) = (p.invStd, p.gamma)
        let k = p.batch ? Float(dot) * s * s / Float(count) : 0
        let gradMean = p.batch ? Float(sum / Double(count)) : 0
        let (kv, gm, sv, wv) = (SIMD8<Float>(repeating: -k), SIMD8<Float>(repeating: gradMean),
                                SIMD8<Float>(repeating: s), SIMD8<Float>(repeating: w))
        // Last image first: what the sums read last is still in the cache (a layer1 channel,
        // 32 images of dy, y and z, is 1.2 MB; the stem's 4.8 MB). Element-wise: same bits.
        for image in (0..<n).reversed() {
            let o = (image * channels + channel) * area
            var i = 0
            while i + 8 <= area {
                let zv = load8(z + o + i)
                let gv = gate.gradient(load8(dy + o + i), z: zv, at: o + i)
                if let masked { store8(gv, masked + o + i) }
                store8((gv - gm).addingProduct(zv - mv, kv) * sv * wv, dz + o + i)
                i += 8
            }
            while i < area {
                let gi = gate.gradient(dy[o + i], z: z[o + i], at: o + i)
                if let masked { masked[o + i] = gi }
                dz[o + i] = (gi - gradMean).addingProduct(z[o + i] - m, -k) * s * w
                i += 1
            }
        }
        return (Double(Float(dot * Double(s))), Double(Float(sum)))
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
