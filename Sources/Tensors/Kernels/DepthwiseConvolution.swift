import Support
/// Depthwise convolution (one k×k filter per channel) by two kernels that give the same bits.
///
/// Eight channels at a time (`DepthwiseChannelBlocks`, C with AVX2 intrinsics; sixteen with AVX-512
/// on the avx512 kernel path): a pixel's eight channels fill a vector, so planes of any width waste
/// no lanes and strides need no phase split; every square kernel up to 7×7 takes it, for as many
/// channels as make whole groups of eight.
/// EfficientNet-Lite0's depthwise layers went from 4.18 to 2.20 ms per image with it (one Zen 3 core).
///
/// One plane at a time (`DepthwisePlane`, below), for the channels left over and other kernels:
/// each channel plane is first copied into a zero-padded scratch plane; for stride 2 the copy also
/// splits even and odd input columns into two "phase" planes, so every tap of every output vector is
/// one contiguous unaligned load: `x[oy·s + ky, ox·s + kx] = phase[kx % s][oy·s + ky][ox + kx / s]`.
/// Padding then costs nothing in the inner loop and TF SAME's asymmetric padding is just
/// different offsets. Bias (folded BatchNorm) and the clamp (ReLU6) are applied before the store.
extension Tensor {
    /// - x: `[N, C, H, W]`; weights: `[C, kh·kw]`; bias: `C` values. Returns `[N, C, Ho, Wo]`.
    public static func depthwiseConvolution(_ x: Tensor, weights: Tensor, bias: [Float],
                                            geometry g: ConvolutionGeometry, clamp: ClampRange = .none,
                                            compute: ComputeContext) -> Tensor {
        depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: clamp,
                             kernel: DepthwiseKernel.choice(for: g), compute: compute)
    }

    /// The same with the kernel chosen by the caller (tests compare the two kernels' bits).
    static func depthwiseConvolution(_ x: Tensor, weights: Tensor, bias: [Float], geometry g: ConvolutionGeometry,
                                     clamp: ClampRange, kernel: DepthwiseKernel, compute: ComputeContext) -> Tensor {
        let (n, c) = (x.shape[0], x.shape[1])
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth,
                     "depthwise input \(x.shape) does not match geometry \(g)")
        precondition(weights.shape == [c, g.kernelHeight * g.kernelWidth] && bias.count == c,
                     "depthwise weights \(weights.shape) / bias \(bias.count) do not fit \(c) channels")
        let plane = DepthwisePlane(g)
        let blocks = kernel == .channelBlocks ? DepthwiseChannelBlocks(g, width: DepthwiseChannelBlocks.width(for: compute, channels: c)) : nil
        let split = DepthwiseChannelBlocks.ChannelSplit(channels: c, blocks: blocks)   // per image
        let (inPlane, outPlane, taps) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth,
                                         g.kernelHeight * g.kernelWidth)
        var y = Tensor.uninitialized(shape: [n, c, g.outputHeight, g.outputWidth])
        x.storage.withUnsafeBufferPointer { xb in
        weights.storage.withUnsafeBufferPointer { wb in
        bias.withUnsafeBufferPointer { bb in
        y.storage.withUnsafeMutableBufferPointer { yb in
            let (xp, wp, bp, yp) = (xb.baseAddress!, wb.baseAddress!, bb.baseAddress!, yb.baseAddress!)
            parallelChunks(n * split.items, workers: compute.workers) { range in
                var planeScratch: UnsafeMutablePointer<Float>?
                var blockScratch: UnsafeMutablePointer<Float>?
                defer {
                    planeScratch?.deallocate()
                    blockScratch?.deallocate()
                }
                for item in range {
                    let (image, index) = item.quotientAndRemainder(dividingBy: split.items)
                    let channel = split.channels(of: index).lowerBound
                    if let blocks, index < split.blockCount {
                        if blockScratch == nil { blockScratch = blocks.allocateScratch() }
                        blocks.compute(xp + (image * c + channel) * inPlane, weights: wp + channel * taps,
                                       bias: bp + channel, clamp: clamp, output: yp + (image * c + channel) * outPlane,
                                       scratch: blockScratch!)
                    } else {
                        if planeScratch == nil {
                            planeScratch = .allocate(capacity: plane.scratchCount)
                            planeScratch!.initialize(repeating: 0, count: plane.scratchCount)
                        }
                        plane.fill(planeScratch!, from: xp + (image * c + channel) * inPlane)
                        plane.compute(planeScratch!, weights: wp + channel * taps, bias: bp[channel], clamp: clamp,
                                      output: yp + (image * c + channel) * outPlane)
                    }
                }
            }
        }}}}
        return y
    }
}

/// The two forward kernels of a depthwise convolution; they give the same bits.
enum DepthwiseKernel: Sendable {
    /// `DepthwisePlane`: one channel plane at a time, eight outputs of a row to a vector.
    case planes
    /// `DepthwiseChannelBlocks`: eight channels at a time, one pixel's eight channels to a vector.
    case channelBlocks

    static func choice(for g: ConvolutionGeometry) -> DepthwiseKernel {
        DepthwiseChannelBlocks(g) == nil ? .planes : .channelBlocks
    }
}

/// The padded, phase-split scratch layout of one channel plane and the loops over it.
struct DepthwisePlane {
    let g: ConvolutionGeometry
    let paddedHeight: Int
    /// Row length of a phase plane: room for every padded input column and for the last output
    /// vector's over-read (lanes past `Wo` are computed and discarded).
    let phaseWidth: Int
    var scratchCount: Int { g.stride * paddedHeight * phaseWidth }

    init(_ g: ConvolutionGeometry) {
        self.g = g
        paddedHeight = g.inputHeight + g.padTop + g.padBottom
        let padded = g.inputWidth + g.padLeft + g.padRight
        let vectors = (g.outputWidth + 7) / 8 * 8
        phaseWidth = max((padded + g.stride - 1) / g.stride, vectors + (g.kernelWidth - 1) / g.stride) + 8
    }

    /// Copies one `[H, W]` plane into the interior of the padded phase planes (borders stay 0).
    @inline(__always)
    func fill(_ scratch: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>) {
        let (h, w, s) = (g.inputHeight, g.inputWidth, g.stride)
        for iy in 0..<h {
            let row = src + iy * w
            let rowOffset = (iy + g.padTop) * phaseWidth
            if s == 1 {
                (scratch + rowOffset + g.padLeft).update(from: row, count: w)
            } else if s == 2 {
                deinterleave(row, into: scratch + rowOffset, odd: scratch + paddedHeight * phaseWidth + rowOffset)
            } else {
                for ix in 0..<w {
                    let px = ix + g.padLeft
                    scratch[(px % s) * paddedHeight * phaseWidth + rowOffset + px / s] = row[ix]
                }
            }
        }
    }

    /// Stride 2: padded column `px = ix + padLeft` goes to `even[px / 2]` or `odd[px / 2]`, i.e.
    /// `even[q] = row[2q − padLeft]`, `odd[q] = row[2q + 1 − padLeft]`; 16 input values per step.
    @inline(__always)
    private func deinterleave(_ row: UnsafePointer<Float>, into even: UnsafeMutablePointer<Float>,
                              odd: UnsafeMutablePointer<Float>) {
        let (w, pl) = (g.inputWidth, g.padLeft)
        let qEnd = (w + pl + 1) / 2   // one past the last q with any valid column
        var q = (pl + 1) / 2          // first q with 2q − padLeft ≥ 0
        if q > 0, 2 * (q - 1) + 1 - pl >= 0 { odd[q - 1] = row[2 * (q - 1) + 1 - pl] }
        while q + 8 <= qEnd, 2 * q + 16 - pl <= w {
            let a = load8(row + 2 * q - pl), b = load8(row + 2 * q - pl + 8)
            store8(SIMD8(a[0], a[2], a[4], a[6], b[0], b[2], b[4], b[6]), even + q)
            store8(SIMD8(a[1], a[3], a[5], a[7], b[1], b[3], b[5], b[7]), odd + q)
            q += 8
        }
        while q < qEnd {
            let ix = 2 * q - pl
            if ix < w { even[q] = row[ix] }
            if ix + 1 < w { odd[q] = row[ix + 1] }
            q += 1
        }
    }

    @inline(__always)
    func compute(_ scratch: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: Float,
                 clamp: ClampRange, output: UnsafeMutablePointer<Float>) {
        // Constant kernel sizes and strides let the compiler unroll the taps and keep the weights in registers.
        switch (g.kernelHeight, g.kernelWidth, g.stride) {
        case (3, 3, 1): compute(scratch, weights, bias, clamp, output, k: 3, s: 1)
        case (3, 3, 2): compute(scratch, weights, bias, clamp, output, k: 3, s: 2)
        case (5, 5, 1): compute(scratch, weights, bias, clamp, output, k: 5, s: 1)
        case (5, 5, 2): compute(scratch, weights, bias, clamp, output, k: 5, s: 2)
        default: computeGeneric(scratch, weights, bias, clamp, output)
        }
    }

    /// The plane's output vectors (8 outputs of one row) numbered row by row, `vectorsPerRow` to a
    /// row, are computed four at a time: four independent accumulators keep the FMA units busy, where
    /// one accumulator's k·k dependent multiply-adds would wait on each other's latency (5 cycles on
    /// Zen 2, 4 on Zen 4). Each output still sums its taps in the same order, so the results are the
    /// same bits as one vector at a time.
    @inline(__always)
    private func compute(_ scratch: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: Float,
                         _ clamp: ClampRange, _ output: UnsafeMutablePointer<Float>, k: Int, s: Int) {
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        let phaseStride = paddedHeight * phaseWidth
        let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
        let vectorsPerRow = (wo + 7) / 8
        let vectors = ho * vectorsPerRow
        /// Where output vector `v` reads (its first tap's row) and writes.
        @inline(__always) func place(_ v: Int) -> (input: UnsafePointer<Float>, output: Int) {
            let (oy, ox) = (v / vectorsPerRow, v % vectorsPerRow * 8)
            return (scratch + oy * s * phaseWidth + ox, oy * wo + ox)
        }
        /// Lanes past the row end land on later rows of this plane, which are computed (and
        /// overwritten) afterwards, in vector order; only a store that would leave the plane is split.
        @inline(__always) func store(_ acc: SIMD8<Float>, at offset: Int) {
            let value = clamp8(acc, lo, hi)
            if offset + 8 <= ho * wo {
                store8(value, output + offset)
            } else {
                for lane in 0..<(ho * wo - offset) { output[offset + lane] = value[lane] }
            }
        }
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: k * k) { w in
            for t in 0..<(k * k) { w[t] = SIMD8(repeating: weights[t]) }
            var v = 0
            while v + 4 <= vectors {
                let (p0, p1, p2, p3) = (place(v), place(v + 1), place(v + 2), place(v + 3))
                var a0 = SIMD8<Float>(repeating: bias), a1 = a0, a2 = a0, a3 = a0
                for ky in 0..<k {
                    for kx in 0..<k {
                        let tap = ky * phaseWidth + (kx % s) * phaseStride + kx / s
                        let wt = w[ky * k + kx]
                        a0 = a0.addingProduct(load8(p0.input + tap), wt)
                        a1 = a1.addingProduct(load8(p1.input + tap), wt)
                        a2 = a2.addingProduct(load8(p2.input + tap), wt)
                        a3 = a3.addingProduct(load8(p3.input + tap), wt)
                    }
                }
                store(a0, at: p0.output); store(a1, at: p1.output); store(a2, at: p2.output); store(a3, at: p3.output)
                v += 4
            }
            while v < vectors {
                let p = place(v)
                var acc = SIMD8<Float>(repeating: bias)
                for ky in 0..<k {
                    for kx in 0..<k {
                        acc = acc.addingProduct(load8(p.input + ky * phaseWidth + (kx % s) * phaseStride + kx / s), w[ky * k + kx])
                    }
                }
                store(acc, at: p.output)
                v += 1
            }
        }
    }

    /// Any other kernel shape or stride: the same arithmetic (fused multiply-adds from the bias, taps
    /// in order), one output at a time.
    private func computeGeneric(_ scratch: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: Float,
                                _ clamp: ClampRange, _ output: UnsafeMutablePointer<Float>) {
        let (kh, kw, s) = (g.kernelHeight, g.kernelWidth, g.stride)
        let phaseStride = paddedHeight * phaseWidth
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                var acc = bias
                for ky in 0..<kh {
                    let row = scratch + (oy * s + ky) * phaseWidth + ox
                    for kx in 0..<kw { acc = acc.addingProduct(weights[ky * kw + kx], row[(kx % s) * phaseStride + kx / s]) }
                }
                output[oy * g.outputWidth + ox] = min(max(acc, clamp.lower), clamp.upper)
            }
        }
    }
}
