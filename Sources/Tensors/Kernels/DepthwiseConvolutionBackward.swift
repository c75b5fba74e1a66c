import Support
/// Gradients of the depthwise convolution `y[c] = x[c] ⋆ w[c]` (one k×k filter per channel).
///
/// Per channel plane, with `xp` the zero-padded input (TF SAME's asymmetric padding included):
///
///     dW[c, ky, kx] = Σ_n Σ_oy,ox dy[n, c, oy, ox] · xp[n, c, oy·s + ky, ox·s + kx]
///     dxp[oy·s + ky, ox·s + kx] += w[c, ky, kx] · dy[oy, ox]        (then dX = interior of dxp)
///
/// Work is split by channel (whole groups of eight channels through the C kernel
/// `cl_depthwise_filter_gradient8`, of sixteen through `cl_depthwise_filter_gradient16` on the
/// avx512 kernel path, the channels left over one plane at a time), so each channel's
/// filter gradient is summed by one worker over the images in order: deterministic for any thread count.
///
/// At stride 1 the input gradient is itself a depthwise convolution — dy, padded by k − 1 − pad
/// on each side, correlated with the 180°-rotated filter — so it runs on the forward kernel,
/// which keeps each output vector in registers across all k² taps instead of k² read-modify-write
/// passes over the gradient plane.
extension Tensor {
    /// - dy: `[N, C, Ho, Wo]`; x: `[N, C, H, W]`; weights: `[C, kh·kw]`.
    /// - Returns: dX `[N, C, H, W]` (nil unless `inputGradient`) and dW `[C, kh·kw]`.
    public static func depthwiseConvolutionBackward(_ dy: Tensor, input x: Tensor, weights: Tensor,
                                                    geometry g: ConvolutionGeometry, inputGradient: Bool,
                                                    compute: ComputeContext) -> (input: Tensor?, weights: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let taps = g.kernelHeight * g.kernelWidth
        precondition(dy.shape == [n, c, g.outputHeight, g.outputWidth] && weights.shape == [c, taps],
                     "depthwise backward: dy \(dy.shape), x \(x.shape), weights \(weights.shape) do not fit")
        let plane = PaddedPlane(g)
        var dW = Tensor(shape: [c, taps])
        let viaForward = inputGradient && g.stride == 1
            && [g.padTop, g.padBottom].allSatisfy { $0 < g.kernelHeight } && [g.padLeft, g.padRight].allSatisfy { $0 < g.kernelWidth }
        var dx = inputGradient && !viaForward ? Tensor.uninitialized(shape: x.shape) : Tensor(shape: [0])
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        weights.storage.withUnsafeBufferPointer { wb in
        dW.storage.withUnsafeMutableBufferPointer { dwb in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (xp, dp, wp, dwp) = (xb.baseAddress!, db.baseAddress!, wb.baseAddress!, dwb.baseAddress!)
            let dxp = inputGradient && !viaForward ? dxb.baseAddress : nil   // an empty array may still have a base address
            // Whole blocks of channels take the C filter gradient, the rest one plane each.
            let blocks = DepthwiseChannelBlocks(g, width: DepthwiseChannelBlocks.width(for: compute, channels: c))
            let split = DepthwiseChannelBlocks.ChannelSplit(channels: c, blocks: blocks)
            let (inPlane, outPlane) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
            parallelChunks(split.items, workers: compute.workers) { range in
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: plane.count)
                let paddedGradient = UnsafeMutablePointer<Float>.allocate(capacity: plane.count)
                padded.initialize(repeating: 0, count: plane.count)   // the border stays zero
                var blockScratch: (input: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>)?
                defer {
                    padded.deallocate(); paddedGradient.deallocate()
                    blockScratch?.input.deallocate(); blockScratch?.gradient.deallocate()
                }
                for item in range {
                    let channels = split.channels(of: item)
                    if let blocks, item < split.blockCount {
                        if blockScratch == nil {
                            blockScratch = (blocks.allocateScratch(), .allocate(capacity: blocks.gradientScratchCount))
                        }
                        for image in 0..<n {
                            let first = image * c + channels.lowerBound
                            blocks.filterGradient(xp + first * inPlane, dy: dp + first * outPlane, into: dwp + channels.lowerBound * taps,
                                                  scratch: blockScratch!.input, gradientScratch: blockScratch!.gradient)
                        }
                    } else {
                        let channel = channels.lowerBound
                        for image in 0..<n {
                            let index = image * c + channel
                            plane.fill(padded, from: xp + index * inPlane)
                            plane.filterGradient(padded, dy: dp + index * outPlane, into: dwp + channel * taps)
                        }
                    }
                    guard let dxp else { continue }
                    for channel in channels {
                        for image in 0..<n {
                            let index = image * c + channel
                            paddedGradient.update(repeating: 0, count: plane.count)
                            plane.inputGradient(dy: dp + index * outPlane, weights: wp + channel * taps, into: paddedGradient)
                            plane.extract(paddedGradient, into: dxp + index * inPlane)
                        }
                    }
                }
            }
        }}}}}
        if viaForward { dx = transposedDepthwise(dy, weights: weights, geometry: g, compute: compute) }
        return (inputGradient ? dx : nil, dW)
    }

    /// dX of a stride-1 depthwise convolution as the forward kernel's convolution of dy `[N, C, Ho, Wo]`
    /// with the rotated filters: `dx[i] = Σ_k w[k]·dy[i + pad − k]`, padding k − 1 − pad before and after.
    static func transposedDepthwise(_ dy: Tensor, weights: Tensor, geometry g: ConvolutionGeometry, compute: ComputeContext) -> Tensor {
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let c = weights.shape[0]
        var rotated = Tensor.uninitialized(shape: weights.shape)   // [C, kh·kw]
        for channel in 0..<c {
            for t in 0..<(kh * kw) {
                rotated.storage[channel * kh * kw + t] = weights.storage[channel * kh * kw + kh * kw - 1 - t]
            }
        }
        return depthwiseConvolution(dy, weights: rotated, bias: [Float](repeating: 0, count: c),
                                    geometry: g.inputGradientGeometry, compute: compute)
    }
}

/// One channel plane with its padding, split into `stride` column phases so that every tap of a
/// strided convolution reads and writes contiguous runs (SIMD8) instead of every s-th value:
/// phase p holds the padded columns p, p + s, p + 2s, …, so `xp[r, ox·s + kx]` is
/// `phase[kx % s][r, ox + kx / s]`. Stride 1 is the padded plane itself.
///
/// Layout: `stride` phases of `[H + padTop + padBottom, phaseWidth]`, plus 8 spare values so vector
/// loads at the right edge stay inside the buffer.
struct PaddedPlane {
    let g: ConvolutionGeometry
    /// Padded width and height.
    let width: Int
    let height: Int
    /// Columns per phase: ⌈width / stride⌉.
    let phaseWidth: Int
    var phaseCount: Int { phaseWidth * height }
    var count: Int { phaseCount * g.stride + 8 }

    init(_ g: ConvolutionGeometry) {
        self.g = g
        width = g.inputWidth + g.padLeft + g.padRight
        height = g.inputHeight + g.padTop + g.padBottom
        phaseWidth = (width + g.stride - 1) / g.stride
    }

    /// Where padded position (row, column) lives in the buffer.
    @inline(__always) func offset(row: Int, column: Int) -> Int {
        (column % g.stride) * phaseCount + row * phaseWidth + column / g.stride
    }

    /// Copies `[H, W]` into the interior; the border, zeroed once, stays zero.
    func fill(_ padded: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>) {
        for iy in 0..<g.inputHeight {
            let from = src + iy * g.inputWidth
            if g.stride == 1 {
                (padded + (iy + g.padTop) * width + g.padLeft).update(from: from, count: g.inputWidth)
                continue
            }
            forEachColumnPhase(row: iy + g.padTop) { p, run, count in
                let destination = padded + run
                for j in 0..<count { destination[j] = from[p + j * g.stride] }
            }
        }
    }

    /// Copies the interior out: the padded positions' gradients belong to no input.
    func extract(_ padded: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        for iy in 0..<g.inputHeight {
            let to = dst + iy * g.inputWidth
            if g.stride == 1 {
                to.update(from: padded + (iy + g.padTop) * width + g.padLeft, count: g.inputWidth)
                continue
            }
            forEachColumnPhase(row: iy + g.padTop) { p, run, count in
                let source = padded + run
                for j in 0..<count { to[p + j * g.stride] = source[j] }
            }
        }
    }

    /// For each phase `p` of an input row's columns (`p, p + s, p + 2s, …`): where in the buffer
    /// the padded `row` holds them, one after another, and how many there are. Input column `p + j·s`
    /// is padded column `p + padLeft + j·s`: phase `(p + padLeft) % s`, entry `(p + padLeft) / s + j`.
    /// One division per phase and row instead of two per value (`offset`), which had made copying
    /// a stride-2 layer's planes cost more than its filter gradient.
    @inline(__always)
    private func forEachColumnPhase(row: Int, _ body: (_ p: Int, _ run: Int, _ count: Int) -> Void) {
        let s = g.stride
        for p in 0..<min(s, g.inputWidth) {
            body(p, offset(row: row, column: p + g.padLeft), (g.inputWidth - p + s - 1) / s)
        }
    }

    /// The first value of tap (ky, kx) for output row oy: `xp[oy·s + ky, kx]`, then contiguous in ox.
    @inline(__always) func tapRow(_ base: UnsafePointer<Float>, oy: Int, ky: Int, kx: Int) -> UnsafePointer<Float> {
        base + offset(row: oy * g.stride + ky, column: kx)
    }

    /// `dW[ky, kx] += Σ dy[oy, ox] · xp[oy·s + ky, ox·s + kx]`.
    ///
    /// Up to four taps of a kernel row are summed side by side: each tap's sum is one long chain of
    /// dependent multiply-adds, so four chains keep the FMA units busy where one would wait on its
    /// own latency. Every tap still adds its products in the same order: the same bits as one at a time.
    func filterGradient(_ xp: UnsafePointer<Float>, dy: UnsafePointer<Float>, into dW: UnsafeMutablePointer<Float>) {
        let (ho, wo, kw) = (g.outputHeight, g.outputWidth, g.kernelWidth)
        for ky in 0..<g.kernelHeight {
            var kx = 0
            while kx < kw {
                let group = min(4, kw - kx)
                var acc = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
                var tail: (Float, Float, Float, Float) = (0, 0, 0, 0)
                for oy in 0..<ho {
                    // Taps past the group's end read tap kx again and are never used.
                    let r0 = tapRow(xp, oy: oy, ky: ky, kx: kx)
                    let r1 = tapRow(xp, oy: oy, ky: ky, kx: kx + min(1, group - 1))
                    let r2 = tapRow(xp, oy: oy, ky: ky, kx: kx + min(2, group - 1))
                    let r3 = tapRow(xp, oy: oy, ky: ky, kx: kx + min(3, group - 1))
                    let d = dy + oy * wo
                    var ox = 0
                    while ox + 8 <= wo {
                        let dv = load8(d + ox)
                        acc.0 = acc.0.addingProduct(dv, load8(r0 + ox))
                        acc.1 = acc.1.addingProduct(dv, load8(r1 + ox))
                        acc.2 = acc.2.addingProduct(dv, load8(r2 + ox))
                        acc.3 = acc.3.addingProduct(dv, load8(r3 + ox))
                        ox += 8
                    }
                    while ox < wo {
                        tail.0 += d[ox] * r0[ox]; tail.1 += d[ox] * r1[ox]
                        tail.2 += d[ox] * r2[ox]; tail.3 += d[ox] * r3[ox]
                        ox += 1
                    }
                }
                let out = dW + ky * kw + kx
                out[0] += acc.0.sum() + tail.0
                if group > 1 { out[1] += acc.1.sum() + tail.1 }
                if group > 2 { out[2] += acc.2.sum() + tail.2 }
                if group > 3 { out[3] += acc.3.sum() + tail.3 }
                kx += group
            }
        }
    }

    /// `dxp[oy·s + ky, ox·s + kx] += w[ky, kx] · dy[oy, ox]`.
    func inputGradient(dy: UnsafePointer<Float>, weights: UnsafePointer<Float>, into dxp: UnsafeMutablePointer<Float>) {
        let (ho, wo, kw) = (g.outputHeight, g.outputWidth, g.kernelWidth)
        for oy in 0..<ho {
            let d = dy + oy * wo
            for ky in 0..<g.kernelHeight {
                for kx in 0..<kw {
                    let w = weights[ky * kw + kx]
                    let row = UnsafeMutablePointer(mutating: tapRow(dxp, oy: oy, ky: ky, kx: kx))
                    let wv = SIMD8<Float>(repeating: w)
                    var ox = 0
                    while ox + 8 <= wo { store8(load8(row + ox).addingProduct(wv, load8(d + ox)), row + ox); ox += 8 }
                    while ox < wo { row[ox] += w * d[ox]; ox += 1 }
                }
            }
        }
    }
}
