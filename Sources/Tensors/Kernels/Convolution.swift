import Support
/// Dense 2-D convolution as im2col + GEMM with a fused epilogue.
///
/// Layout: NCHW in and out, because for one image `[Cout, Ho·Wo] = W [Cout, K] · cols [K, Ho·Wo]`
/// writes NCHW directly, and a 1×1 stride-1 convolution's `cols` *is* the input `[Cin, H·W]`,
/// so pointwise layers (most of EfficientNet's arithmetic) need no unfolding at all.
///
/// Work is cut into (image, column tile, row block) items spread over `workers`; OpenBLAS runs
/// single-threaded inside each item (see `BLAS`). Column tiles keep the unfolded input and the
/// output tile in L2 so the epilogue (bias, residual, clamp) runs on cached data.
extension Tensor {
    /// `y = clamp(conv(x, W) + bias + residual)`.
    ///
    /// - x: `[N, Cin, H, W]`; weights: `[Cout, Cin·kh·kw]`; bias: `Cout` values;
    ///   residual: `nil` or `[N, Cout, Ho, Wo]`. Returns `[N, Cout, Ho, Wo]`.
    public static func convolution(_ x: Tensor, weights: Tensor, bias: [Float], geometry g: ConvolutionGeometry,
                                   residual: Tensor? = nil, clamp: ClampRange = .none,
                                   compute: ComputeContext) -> Tensor {
        let (n, cin) = (x.shape[0], x.shape[1])
        let (cout, k) = (weights.shape[0], weights.shape[1])
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth,
                     "convolution input \(x.shape) does not match geometry \(g)")
        precondition(k == cin * g.kernelHeight * g.kernelWidth && bias.count == cout,
                     "convolution weights \(weights.shape) / bias \(bias.count) do not fit input \(x.shape)")
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        let columns = ho * wo
        if let residual { precondition(residual.shape == [n, cout, ho, wo], "residual \(residual.shape)") }

        let group = GroupedConvolution.imagesPerGemm(images: n, columns: columns, workers: compute.workers)
        if group > 1 {
            return GroupedConvolution(images: n, inChannels: cin, outChannels: cout, depth: k, geometry: g, group: group)
                .run(x, weights: weights, bias: bias, residual: residual, clamp: clamp, compute: compute)
        }
        let plan = GemmTiling(rows: cout, columns: columns, depth: k, images: n, workers: compute.workers)
        let pointwise = g.isPointwise
        var y = Tensor.uninitialized(shape: [n, cout, ho, wo])
        x.storage.withUnsafeBufferPointer { xb in
        weights.storage.withUnsafeBufferPointer { wb in
        bias.withUnsafeBufferPointer { bb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rb in
            let (xp, wp, bp, yp) = (xb.baseAddress!, wb.baseAddress!, bb.baseAddress!, yb.baseAddress!)
            parallelChunks(plan.items, workers: compute.workers) { range in
                let scratch = pointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: k * plan.columnTile)
                defer { scratch?.deallocate() }
                for item in range {
                    let (image, tile, block) = plan.decompose(item)
                    let cols = plan.columnRange(tile)
                    let rows = plan.rowRange(block)
                    let image0 = xp + image * cin * g.inputHeight * g.inputWidth
                    let b: UnsafePointer<Float>, ldb: Int
                    if let scratch {
                        im2col(image0, channels: cin, geometry: g, columns: cols, into: scratch)
                        (b, ldb) = (UnsafePointer(scratch), cols.count)
                    } else {
                        (b, ldb) = (image0 + cols.lowerBound, columns)
                    }
                    let outOffset = (image * cout + rows.lowerBound) * columns + cols.lowerBound
                    let c = yp + outOffset
                    sgemm(m: rows.count, n: cols.count, k: k,
                          a: wp + rows.lowerBound * k, lda: k, b: b, ldb: ldb,
                          c: c, ldc: columns, compute: compute)
                    epilogueTile(c, ldc: columns, rows: rows.count, width: cols.count,
                                 bias: bp + rows.lowerBound, residual: rb.map { $0 + outOffset }, clamp: clamp)
                }
            }
        }}}}}
        return y
    }
}

/// Runs `body` with the tensor's base address, or `nil` for no tensor.
@inline(__always)
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.storage.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// How one batched convolution is cut into independent GEMM items.
struct GemmTiling {
    let rows: Int, columns: Int
    let columnTile: Int, columnTiles: Int
    let rowBlock: Int, rowBlocks: Int
    let images: Int

    init(rows: Int, columns: Int, depth: Int, images: Int, workers: Int) {
        self.rows = rows
        self.columns = columns
        self.images = images
        let budget = GemmTiling.budgetFloats / max(depth + rows, 1)
        var tile = max(64, budget / 16 * 16)
        if tile >= columns { tile = columns }
        // When images × tiles cannot feed every worker (batch 1, late layers), split finer.
        if images * ((columns + tile - 1) / tile) < workers && columns >= 128 * workers {
            tile = (columns + workers - 1) / workers
        }
        columnTile = tile
        columnTiles = (columns + tile - 1) / tile
        // Still too few items (7×7 layers at batch 1): split the output channels instead.
        if images * columnTiles < workers && rows >= 32 {
            let blocks = min(workers, rows / 16)
            rowBlock = (rows + blocks - 1) / blocks
        } else {
            rowBlock = rows
        }
        rowBlocks = (rows + rowBlock - 1) / rowBlock
    }

    /// About 1 MB (half of an L2) for the unfolded input tile plus the output tile. Measured: 4× smaller
    /// or 30× larger budgets change throughput by less than the run-to-run noise (±5%).
    static let budgetFloats = 262_144

    var items: Int { images * columnTiles * rowBlocks }

    func decompose(_ item: Int) -> (image: Int, tile: Int, block: Int) {
        let block = item % rowBlocks
        let rest = item / rowBlocks
        return (rest / columnTiles, rest % columnTiles, block)
    }

    func columnRange(_ tile: Int) -> Range<Int> {
        tile * columnTile ..< min(columns, (tile + 1) * columnTile)
    }

    func rowRange(_ block: Int) -> Range<Int> {
        block * rowBlock ..< min(rows, (block + 1) * rowBlock)
    }
}
