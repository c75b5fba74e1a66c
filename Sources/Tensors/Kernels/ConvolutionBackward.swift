import Support
/// Gradients of the dense convolution `y = conv(x, W)` (no bias: BatchNorm follows every convolution).
///
/// Per image, with `cols = im2col(x)` `[K, Ho·Wo]`, K = Cin·kh·kw:
///
///     dW [Cout, K]     += dY [Cout, Ho·Wo] · colsᵀ
///     dX [Cin, H, W]    = col2im(Wᵀ [K, Cout] · dY)
///
/// A 1×1 stride-1 convolution's `cols` is the input itself, so both are one GEMM on the tensors.
/// Images are split into contiguous chunks, one per worker; each worker accumulates its own dW
/// (GEMM with β = 1) and the partial sums are added in chunk order, so the same thread count gives
/// byte-identical gradients.
extension Tensor {
    /// - dy: `[N, Cout, Ho, Wo]`; x: `[N, Cin, H, W]` (the forward's input); weights: `[Cout, K]`.
    /// - Returns: dX `[N, Cin, H, W]` (nil unless `inputGradient`) and dW `[Cout, K]`.
    public static func convolutionBackward(_ dy: Tensor, input x: Tensor, weights: Tensor,
                                           geometry g: ConvolutionGeometry, inputGradient: Bool,
                                           compute: ComputeContext) -> (input: Tensor?, weights: Tensor) {
        let (n, cin) = (x.shape[0], x.shape[1])
        let (cout, k) = (weights.shape[0], weights.shape[1])
        let columns = g.outputHeight * g.outputWidth
        let inputArea = g.inputHeight * g.inputWidth
        precondition(dy.shape == [n, cout, g.outputHeight, g.outputWidth] && k == cin * g.kernelHeight * g.kernelWidth,
                     "convolution backward: dy \(dy.shape), x \(x.shape), weights \(weights.shape) do not fit")
        let pointwise = g.isPointwise
        let chunks = min(max(1, compute.workers), n)
        var partial = [Float](repeating: 0, count: chunks * cout * k)
        var dx = inputGradient ? Tensor(shape: x.shape) : Tensor(shape: [0])
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        weights.storage.withUnsafeBufferPointer { wb in
        partial.withUnsafeMutableBufferPointer { pb in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (xp, dp, wp, pp) = (xb.baseAddress!, db.baseAddress!, wb.baseAddress!, pb.baseAddress!)
            let dxp = inputGradient ? dxb.baseAddress : nil   // an empty array may still have a base address
            parallelFor(chunks, workers: chunks) { chunk in
                let dW = pp + chunk * cout * k
                let cols = pointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: k * columns)
                defer { cols?.deallocate() }
                for image in (chunk * n / chunks)..<((chunk + 1) * n / chunks) {
                    let image0 = xp + image * cin * inputArea
                    let dy0 = dp + image * cout * columns
                    let b: UnsafePointer<Float>
                    if let cols {
                        im2col(image0, channels: cin, geometry: g, columns: 0..<columns, into: cols)
                        b = UnsafePointer(cols)
                    } else {
                        b = image0
                    }
                    sgemm(transposeB: true, m: cout, n: k, k: columns, a: dy0, lda: columns, b: b, ldb: columns,
                          beta: 1, c: dW, ldc: k, compute: compute)
                    guard inputGradient, let dxp else { continue }
                    let dx0 = dxp + image * cin * inputArea
                    if let cols {
                        sgemm(transposeA: true, m: k, n: columns, k: cout, a: wp, lda: k, b: dy0, ldb: columns,
                              c: cols, ldc: columns, compute: compute)
                        col2im(cols, channels: cin, geometry: g, into: dx0)
                    } else {
                        sgemm(transposeA: true, m: cin, n: columns, k: cout, a: wp, lda: k, b: dy0, ldb: columns,
                              c: dx0, ldc: columns, compute: compute)
                    }
                }
            }
        }}}}}
        var dW = Tensor(shape: [cout, k])
        for chunk in 0..<chunks {
            let base = chunk * cout * k
            for i in 0..<(cout * k) { dW.storage[i] += partial[base + i] }
        }
        return (inputGradient ? dx : nil, dW)
    }
}
