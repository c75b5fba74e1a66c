/// Gradients of the depthwise convolution `y[c] = x[c] ⋆ w[c]` (one k×k filter per channel).
///
/// Per channel plane, with `xp` the zero-padded input (TF SAME's asymmetric padding included):
///
///     dW[c, ky, kx] = Σ_n Σ_oy,ox dy[n, c, oy, ox] · xp[n, c, oy·s + ky, ox·s + kx]
///     dxp[oy·s + ky, ox·s + kx] += w[c, ky, kx] · dy[oy, ox]        (then dX = interior of dxp)
///
/// Work is split by channel, so each channel's filter gradient is summed by one worker over the
/// images in order: deterministic for any thread count.
extension Tensor {
    /// - dy: `[N, C, Ho, Wo]`; x: `[N, C, H, W]`; weights: `[C, kh·kw]`.
    /// - Returns: dX `[N, C, H, W]` (nil unless `inputGradient`) and dW `[C, kh·kw]`.
    public static func depthwiseConvolutionBackward(_ dy: Tensor, input x: Tensor, weights: Tensor,
                                                    geometry g: ConvolutionGeometry, inputGradient: Bool,
                                                    workers: Int = Parallelism.workers) -> (input: Tensor?, weights: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let taps = g.kernelHeight * g.kernelWidth
        precondition(dy.shape == [n, c, g.outputHeight, g.outputWidth] && weights.shape == [c, taps],
                     "depthwise backward: dy \(dy.shape), x \(x.shape), weights \(weights.shape) do not fit")
        let plane = PaddedPlane(g)
        var dW = Tensor(shape: [c, taps])
        var dx = inputGradient ? Tensor.uninitialized(shape: x.shape) : Tensor(shape: [0])
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        weights.storage.withUnsafeBufferPointer { wb in
        dW.storage.withUnsafeMutableBufferPointer { dwb in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (xp, dp, wp, dwp) = (xb.baseAddress!, db.baseAddress!, wb.baseAddress!, dwb.baseAddress!)
            let dxp = inputGradient ? dxb.baseAddress : nil   // an empty array may still have a base address
            parallelChunks(c, workers: workers) { channels in
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: plane.count)
                let paddedGradient = UnsafeMutablePointer<Float>.allocate(capacity: plane.count)
                padded.initialize(repeating: 0, count: plane.count)
                defer { padded.deallocate(); paddedGradient.deallocate() }
                for channel in channels {
                    for image in 0..<n {
                        let item = image * c + channel
                        plane.fill(padded, from: xp + item * g.inputHeight * g.inputWidth)
                        let dyPlane = dp + item * g.outputHeight * g.outputWidth
                        plane.filterGradient(padded, dy: dyPlane, into: dwp + channel * taps)
                        guard let dxp else { continue }
                        paddedGradient.update(repeating: 0, count: plane.count)
                        plane.inputGradient(dy: dyPlane, weights: wp + channel * taps, into: paddedGradient)
                        plane.extract(paddedGradient, into: dxp + item * g.inputHeight * g.inputWidth)
                    }
                }
            }
        }}}}}
        return (inputGradient ? dx : nil, dW)
    }
}

/// One channel plane with its padding, row-major `[H + padTop + padBottom, W + padLeft + padRight]`
/// plus 8 spare values so vector loads at the right edge stay inside the buffer.
struct PaddedPlane {
    let g: ConvolutionGeometry
    let width: Int
    let height: Int
    var count: Int { width * height + 8 }

    init(_ g: ConvolutionGeometry) {
        self.g = g
        width = g.inputWidth + g.padLeft + g.padRight
        height = g.inputHeight + g.padTop + g.padBottom
    }

    /// Copies `[H, W]` into the interior; the border, zeroed once, stays zero.
    func fill(_ padded: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>) {
        for iy in 0..<g.inputHeight {
            (padded + (iy + g.padTop) * width + g.padLeft).update(from: src + iy * g.inputWidth, count: g.inputWidth)
        }
    }

    /// Copies the interior out: the padded positions' gradients belong to no input.
    func extract(_ padded: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        for iy in 0..<g.inputHeight {
            (dst + iy * g.inputWidth).update(from: padded + (iy + g.padTop) * width + g.padLeft, count: g.inputWidth)
        }
    }

    /// `dW[ky, kx] += Σ dy[oy, ox] · xp[oy·s + ky, ox·s + kx]`.
    func filterGradient(_ xp: UnsafePointer<Float>, dy: UnsafePointer<Float>, into dW: UnsafeMutablePointer<Float>) {
        let (ho, wo, s, kw) = (g.outputHeight, g.outputWidth, g.stride, g.kernelWidth)
        for ky in 0..<g.kernelHeight {
            for kx in 0..<kw {
                var acc = SIMD8<Float>.zero
                var tail: Float = 0
                for oy in 0..<ho {
                    let row = xp + (oy * s + ky) * width + kx
                    let d = dy + oy * wo
                    var ox = 0
                    if s == 1 {
                        while ox + 8 <= wo { acc = acc.addingProduct(load8(d + ox), load8(row + ox)); ox += 8 }
                    }
                    while ox < wo { tail += d[ox] * row[ox * s]; ox += 1 }
                }
                dW[ky * kw + kx] += acc.sum() + tail
            }
        }
    }

    /// `dxp[oy·s + ky, ox·s + kx] += w[ky, kx] · dy[oy, ox]`.
    func inputGradient(dy: UnsafePointer<Float>, weights: UnsafePointer<Float>, into dxp: UnsafeMutablePointer<Float>) {
        let (ho, wo, s, kw) = (g.outputHeight, g.outputWidth, g.stride, g.kernelWidth)
        for oy in 0..<ho {
            let d = dy + oy * wo
            for ky in 0..<g.kernelHeight {
                for kx in 0..<kw {
                    let w = weights[ky * kw + kx]
                    let row = dxp + (oy * s + ky) * width + kx
                    var ox = 0
                    if s == 1 {
                        let wv = SIMD8<Float>(repeating: w)
                        while ox + 8 <= wo { store8(load8(row + ox).addingProduct(wv, load8(d + ox)), row + ox); ox += 8 }
                    }
                    while ox < wo { row[ox * s] += w * d[ox]; ox += 1 }
                }
            }
        }
    }
}
