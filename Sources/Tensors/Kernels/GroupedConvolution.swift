/// Convolution of several images in one GEMM, for layers with few output positions.
///
/// ResNet18's last stages have 14×14 and 7×7 outputs but 2.4–9.4 MB of weights per layer. One GEMM
/// per image would stream every weight matrix from memory once per image; putting `group` images
/// side by side as columns (`W [Cout, K] · cols [K, group·Ho·Wo]`) reads it once per group.
/// The GEMM result `[Cout, group·Ho·Wo]` is then scattered to NCHW with bias, residual and clamp.
struct GroupedConvolution {
    let images: Int, inChannels: Int, outChannels: Int, depth: Int
    let geometry: ConvolutionGeometry
    let group: Int

    /// Images per GEMM: 1 (per-image tiles) unless outputs are small, then up to about 1024 columns,
    /// in a number of groups that `workers` share evenly: 32 images of 7×7 as 20 + 12 kept one worker
    /// waiting for the other through 40 % of the layer.
    static func imagesPerGemm(images: Int, columns: Int, workers: Int = 1) -> Int {
        guard images > 1, columns < 256 else { return 1 }
        let widest = min(images, max(1, 1024 / columns))
        let workers = max(1, workers)
        let groups = ((images + widest - 1) / widest + workers - 1) / workers * workers
        return (images + groups - 1) / groups
    }

    func run(_ x: Tensor, weights: Tensor, bias: [Float], residual: Tensor?, clamp: ClampRange,
             compute: ComputeContext) -> Tensor {
        let g = geometry
        let columns = g.outputHeight * g.outputWidth
        let planeIn = inChannels * g.inputHeight * g.inputWidth
        let width = group * columns   // row stride of the column matrix and of the GEMM output
        let groups = (images + group - 1) / group
        var y = Tensor.uninitialized(shape: [images, outChannels, g.outputHeight, g.outputWidth])
        x.storage.withUnsafeBufferPointer { xb in
        weights.storage.withUnsafeBufferPointer { wb in
        bias.withUnsafeBufferPointer { bb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rb in
            parallelChunks(groups, workers: compute.workers) { range in
                let cols = UnsafeMutablePointer<Float>.allocate(capacity: depth * width)
                let product = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * width)
                defer { cols.deallocate(); product.deallocate() }
                for groupIndex in range {
                    let first = groupIndex * group
                    let count = min(group, images - first)
                    for j in 0..<count {
                        im2col(xb.baseAddress! + (first + j) * planeIn, channels: inChannels, geometry: g,
                               columns: 0..<columns, into: cols + j * columns, rowStride: width)
                    }
                    sgemm(m: outChannels, n: count * columns, k: depth, a: wb.baseAddress!, lda: depth,
                          b: cols, ldb: width, c: product, ldc: width, compute: compute)
                    for j in 0..<count {
                        let offset = (first + j) * outChannels * columns
                        scatter(product + j * columns, ldc: width, into: yb.baseAddress! + offset, columns: columns,
                                bias: bb.baseAddress!, residual: rb.map { $0 + offset }, clamp: clamp)
                    }
                }
            }
        }}}}}
        return y
    }

    /// `y[o, :] = clamp(product[o, :] + bias[o] + residual[o, :])` for one image.
    private func scatter(_ product: UnsafePointer<Float>, ldc: Int, into y: UnsafeMutablePointer<Float>, columns: Int,
                         bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, clamp: ClampRange) {
        for o in 0..<outChannels {
            let (src, dst) = (product + o * ldc, y + o * columns)
            let b = bias[o]
            if let residual {
                let res = residual + o * columns
                for i in 0..<columns { dst[i] = min(max(src[i] + b + res[i], clamp.lower), clamp.upper) }
            } else {
                for i in 0..<columns { dst[i] = min(max(src[i] + b, clamp.lower), clamp.upper) }
            }
        }
    }
}
