import Support
/// Gradients of the dense convolution `y = conv(x, W)` (no bias: BatchNorm follows every convolution).
///
/// Per image, with `cols = im2col(x)` `[K, Ho·Wo]`, K = Cin·kh·kw:
///
///     dW [Cout, K]     += dY [Cout, Ho·Wo] · colsᵀ
///     dX [Cin, H, W]    = col2im(Wᵀ [K, Cout] · dY)
///
/// A 1×1 stride-1 convolution's `cols` is the input itself, so both are one GEMM on the tensors.
/// A stem-like layer (few output channels, many taps) computes `dWᵀ = cols · dYᵀ` instead, the
/// faster orientation of oneDNN's sgemm for that shape (`weightGradientTransposed`), and unfolds
/// an image with many output positions (the stem's 12544) a cache-sized span at a time for dW
/// (`weightGradientSpan`).
/// Layers with few output positions (ResNet18's 14×14 and 7×7, EfficientNet-Lite0's pointwise
/// layers there) put `group` images side by side for
/// dW, `dY [Cout, group·Ho·Wo] · cols [K, group·Ho·Wo]ᵀ`: one image's product (k = 49) would
/// read and write all of dW (9.4 MB in layer4) for 49 multiply-adds per entry. The input gradient's
/// `Wᵀ · dY` takes the same group as its columns, reading W once per group instead of once per image.
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
        let group = GroupedConvolution.imagesPerGemm(images: (n + chunks - 1) / chunks, columns: columns)
        let unfolds = !pointwise || group > 1   // a lone pointwise image is its own column matrix
        let transposed = Self.weightGradientTransposed(outChannels: cout, taps: k, pointwise: pointwise)
        // Unfolding a whole stem image (147 × 12544 floats, 7.4 MB) sent the columns out to memory and back.
        let span = Self.weightGradientSpan(taps: k)
        let bySpans = !pointwise && group == 1 && columns > 2 * span
        var partial = [Float](repeating: 0, count: chunks * cout * k)
        // Every image's dX is written below: by the GEMM, or cleared by its worker just before col2im
        // adds into it (clearing all of it up front ran on one thread while the others waited).
        var dx = inputGradient ? Tensor.uninitialized(shape: x.shape) : Tensor(shape: [0])
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        weights.storage.withUnsafeBufferPointer { wb in
        partial.withUnsafeMutableBufferPointer { pb in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (xp, dp, wp, pp) = (xb.baseAddress!, db.baseAddress!, wb.baseAddress!, pb.baseAddress!)
            let dxp = inputGradient ? dxb.baseAddress : nil   // an empty array may still have a base address
            /// dW += dY · colsᵀ over `depth` output positions (or dWᵀ += cols · dYᵀ), rows `ldCols` and `ldDy` apart.
            func accumulate(_ cols: UnsafePointer<Float>, ldCols: Int, dyRows: UnsafePointer<Float>, ldDy: Int,
                            depth: Int, into dW: UnsafeMutablePointer<Float>) {
                if transposed {   // dWᵀ [K, Cout] += cols · dYᵀ
                    sgemm(transposeB: true, m: k, n: cout, k: depth, a: cols, lda: ldCols, b: dyRows, ldb: ldDy,
                          beta: 1, c: dW, ldc: cout, compute: compute)
                } else {
                    sgemm(transposeB: true, m: cout, n: k, k: depth, a: dyRows, lda: ldDy, b: cols, ldb: ldCols,
                          beta: 1, c: dW, ldc: k, compute: compute)
                }
            }
            parallelFor(chunks, workers: chunks) { chunk in
                let dW = pp + chunk * cout * k
                let colsCapacity = bySpans && !inputGradient ? k * span : k * group * columns
                let cols = unfolds ? UnsafeMutablePointer<Float>.allocate(capacity: colsCapacity) : nil
                let dyGroup = group > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: cout * group * columns) : nil
                defer { cols?.deallocate(); dyGroup?.deallocate() }
                let images = (chunk * n / chunks)..<((chunk + 1) * n / chunks)
                for first in stride(from: images.lowerBound, to: images.upperBound, by: group) {
                    let count = min(group, images.upperBound - first)
                    let width = count * columns   // GEMM depth of dW: this group's output positions
                    // dY [Cout, width]: the group's images side by side.
                    let dyRows: UnsafePointer<Float>
                    if let dyGroup, count > 1 {
                        for i in 0..<count {
                            for o in 0..<cout {
                                (dyGroup + o * width + i * columns).update(from: dp + ((first + i) * cout + o) * columns, count: columns)
                            }
                        }
                        dyRows = UnsafePointer(dyGroup)
                    } else {
                        dyRows = dp + first * cout * columns
                    }
                    if let cols, bySpans {
                        // A stem-like image: its columns a cache-sized span at a time, each GEMM adding into dW.
                        for start in stride(from: 0, to: columns, by: span) {
                            let end = min(columns, start + span)
                            im2col(xp + first * cin * inputArea, channels: cin, geometry: g, columns: start..<end, into: cols)
                            accumulate(cols, ldCols: end - start, dyRows: dyRows + start, ldDy: columns, depth: end - start, into: dW)
                        }
                    } else {
                        // B [K, width]: the unfolded images side by side.
                        let b: UnsafePointer<Float>
                        if let cols, !(pointwise && count == 1) {
                            for i in 0..<count {
                                im2col(xp + (first + i) * cin * inputArea, channels: cin, geometry: g, columns: 0..<columns,
                                       into: cols + i * columns, rowStride: width)
                            }
                            b = UnsafePointer(cols)
                        } else {
                            b = xp + first * cin * inputArea
                        }
                        accumulate(b, ldCols: width, dyRows: dyRows, ldDy: width, depth: width, into: dW)
                    }
                    guard inputGradient, let dxp else { continue }
                    if let cols, !(pointwise && count == 1) {
                        // The whole group in one GEMM, Wᵀ [K, Cout] · dY [Cout, width] → [K, width], reading W
                        // once per group rather than once per image (layer4's stride-2 convolution: 4.7 MB of
                        // weights for 49 columns an image), then each image's share folded back.
                        sgemm(transposeA: true, m: k, n: width, k: cout, a: wp, lda: k, b: dyRows, ldb: width,
                              c: cols, ldc: width, compute: compute)
                        for i in 0..<count {
                            let dx0 = dxp + (first + i) * cin * inputArea
                            if pointwise {
                                for c in 0..<cin { (dx0 + c * columns).update(from: cols + c * width + i * columns, count: columns) }
                            } else {
                                dx0.update(repeating: 0, count: cin * inputArea)
                                col2im(cols + i * columns, channels: cin, geometry: g, into: dx0, rowStride: width)
                            }
                        }
                    } else {
                        // A lone pointwise image (every other layer unfolds): Wᵀ · dY straight into its dX.
                        sgemm(transposeA: true, m: cin, n: columns, k: cout, a: wp, lda: k, b: dyRows, ldb: columns,
                              c: dxp + first * cin * inputArea, ldc: columns, compute: compute)
                    }
                }
            }
        }}}}}
        var dW = Tensor(shape: [cout, k])
        for chunk in 0..<chunks {
            let base = chunk * cout * k
            if transposed {
                for o in 0..<cout {
                    for j in 0..<k { dW.storage[o * k + j] += partial[base + j * cout + o] }
                }
            } else {
                for i in 0..<(cout * k) { dW.storage[i] += partial[base + i] }
            }
        }
        return (inputGradient ? dx : nil, dW)
    }

    /// Output positions per unfolded span of an image whose weight gradient goes span by span: the
    /// columns of 448 KB, which stay in a core's L2 cache between im2col and the GEMM.
    ///
    /// ResNet18's stem (K = 147, 12544 positions; spans of 780), `coverlens-bench --layers train`,
    /// batch 32, Zen 4, five alternating runs of each, median weight gradient in ms per image: whole
    /// image 1.98; spans of 256 positions 1.85, 512 1.73, 768 1.66.
    static func weightGradientSpan(taps k: Int) -> Int {
        max(256, 448 * 1024 / (4 * k))
    }

    /// Whether the weight gradient's GEMM runs as `dWᵀ = cols · dYᵀ` (`[K, Cout]`, transposed when the
    /// chunks' sums are added) rather than `dW = dY · colsᵀ`: for unfolded layers with at most 64
    /// output channels and at least twice as many taps, such as ResNet18's stem (64 × 147).
    ///
    /// oneDNN's sgemm alone, one thread, Zen 4, the depth of a batch-32 chunk (GFLOP/s, `dY · colsᵀ`
    /// against `cols · dYᵀ`, its AVX-512 kernels and then its AVX2 ones): the stem 68 → 84 and
    /// 84 → 98; layer2's stride-2 convolution (128 × 576) 82 → 105 and 100 → 101; layer3's (256 × 1152)
    /// 93 → 99 and 100 → 99; layer4's (512 × 2304) 102 → 99 and 106 → 104. In the step itself
    /// (`coverlens-bench --layers train`, five alternating runs, medians) the stem's weight gradient
    /// went from 2.35 to 2.10 ms per image, layer2's from 0.70 to 0.74 (within the runs' spread):
    /// only the stem's shape is turned.
    static func weightGradientTransposed(outChannels cout: Int, taps k: Int, pointwise: Bool) -> Bool {
        !pointwise && cout <= 64 && k >= 2 * cout
    }
}
