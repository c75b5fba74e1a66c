import Support
/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, 2015).
///
/// Each 2×2 block of outputs comes from a 4×4 input tile `d` as `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`:
/// 16 multiplications instead of 36, so the GEMMs (one per tile position ξ of the 4×4 transform,
/// `M[ξ] = U[ξ] [Cout, Cin] · V[ξ] [Cin, tiles]`) do 2.25× less arithmetic than im2col + GEMM.
/// ResNet18 spends 83% of its multiply-adds in such convolutions. The transforms only add, subtract
/// and halve, so the result stays within float32 rounding of the direct convolution.
///
///     Bᵀ = | 1  0 -1  0 |    G = | 1    0    0   |    Aᵀ = | 1  1  1  0 |
///          | 0  1  1  0 |        | 1/2  1/2  1/2 |         | 0  1 -1 -1 |
///          | 0 -1  1  0 |        | 1/2 -1/2  1/2 |
///          | 0  1  0 -1 |        | 0    0    1   |
extension Tensor {
    /// `U = G g Gᵀ` for every (output, input) channel pair, computed in Double: weights
    /// `[Cout, Cin·3·3]` → `[16, Cout, Cin]` for F(2×2, 3×3) (`outputTile` 2) or `[36, Cout, Cin]`
    /// for F(4×4, 3×3) (`outputTile` 4, see `WinogradF4Plan`).
    public static func winogradWeights(_ weights: Tensor, outputTile: Int = 2, compute: ComputeContext = .default) -> Tensor {
        let (cout, cin) = (weights.shape[0], weights.shape[1] / 9)
        precondition(weights.rank == 2 && weights.shape[1] == cin * 9, "winograd weights need [Cout, Cin·9], got \(weights.shape)")
        // Kernel (o, c) starts at o · rowStride + c · columnStride in W.
        let (rowStride, columnStride) = (cin * 9, 9)
        precondition(outputTile == 2 || outputTile == 4, "winograd output tile \(outputTile): 2 or 4")
        let gm = winogradWeightTransform(outputTile: outputTile)
        let alpha = gm.count
        var u = Tensor.uninitialized(shape: [alpha * alpha, cout, cin])
        // Separably, G g then (G g) Gᵀ: 3·3·α + 3·α² multiplications per pair instead of 9·α², for
        // four input channels at a time (lanes of SIMD4<Double>, each computed as alone: the same bits).
        // Training transforms every 3×3 layer's weights at each step (once: the backward takes the forward's).
        let flat = gm.flatMap { $0 }
        weights.storage.withUnsafeBufferPointer { w in
        u.storage.withUnsafeMutableBufferPointer { ub in
          flat.withUnsafeBufferPointer { f in
          parallelChunks(cout, workers: compute.workers) { outputs in
            // For one output channel and a run of input channels at a time: G g of every pair of the
            // run, then (G g) Gᵀ written point by point, each point's row of the run in one piece
            // (pair by pair, the stores had gone to 36 places a point's stride apart, a few bytes each).
            let run = Tensor.weightTransformRun
            let gg = UnsafeMutablePointer<Double>.allocate(capacity: alpha * 3 * run)   // G g: row i·3 + b, `run` pairs
            defer { gg.deallocate() }
            @inline(__always) func row(_ r: Int, _ c: Int) -> SIMD4<Double> {
                UnsafeRawPointer(gg + r * run + c).loadUnaligned(as: SIMD4<Double>.self)
            }
            for o in outputs {
                var c0 = 0
                while c0 < cin {
                    let n = min(run, cin - c0)
                    var c = 0
                    while c < n {   // four pairs at a time (lanes); `run` is a multiple of four
                        let lanes = min(4, n - c)
                        let g = w.baseAddress! + o * rowStride + (c0 + c) * columnStride
                        @inline(__always) func tap(_ t: Int) -> SIMD4<Double> {
                            var v = SIMD4<Double>()
                            for lane in 0..<lanes { v[lane] = Double(g[lane * columnStride + t]) }
                            return v
                        }
                        let taps = (tap(0), tap(1), tap(2), tap(3), tap(4), tap(5), tap(6), tap(7), tap(8))
                        for i in 0..<alpha {
                            let (f0, f1, f2) = (f[i * 3], f[i * 3 + 1], f[i * 3 + 2])
                            UnsafeMutableRawPointer(gg + (i * 3) * run + c).storeBytes(
                                of: f0 * taps.0 + f1 * taps.3 + f2 * taps.6, as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(gg + (i * 3 + 1) * run + c).storeBytes(
                                of: f0 * taps.1 + f1 * taps.4 + f2 * taps.7, as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(gg + (i * 3 + 2) * run + c).storeBytes(
                                of: f0 * taps.2 + f1 * taps.5 + f2 * taps.8, as: SIMD4<Double>.self)
                        }
                        c += 4
                    }
                    for i in 0..<alpha {
                        for j in 0..<alpha {
                            let (f0, f1, f2) = (f[j * 3], f[j * 3 + 1], f[j * 3 + 2])
                            let dst = ub.baseAddress! + ((i * alpha + j) * cout + o) * cin + c0
                            var c = 0
                            while c < n {
                                let sum = row(i * 3, c) * f0 + row(i * 3 + 1, c) * f1 + row(i * 3 + 2, c) * f2
                                if c + 4 <= n {
                                    UnsafeMutableRawPointer(dst + c).storeBytes(of: SIMD4<Float>(sum), as: SIMD4<Float>.self)
                                } else {
                                    for lane in 0..<(n - c) { dst[c + lane] = Float(sum[lane]) }
                                }
                                c += 4
                            }
                        }
                    }
                    c0 += run
                }
            }
          }
          }
        }}
        return u
    }

    /// `y = clamp(conv3×3(x) + bias + residual)`, stride 1, with `u` from `winogradWeights`
    /// (its first dimension, 16 or 36, selects F(2×2, 3×3) or F(4×4, 3×3)).
    /// x: `[N, Cin, H, W]` → `[N, Cout, Ho, Wo]`.
    public static func winogradConvolution(_ x: Tensor, transformedWeights u: Tensor, bias: [Float],
                                           geometry g: ConvolutionGeometry, residual: Tensor? = nil,
                                           clamp: ClampRange = .none, compute: ComputeContext) -> Tensor {
        let (cin, cout) = (x.shape[1], u.shape[1])
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1, "winograd needs 3×3 stride 1")
        precondition(u.rank == 3 && (u.shape[0] == 16 || u.shape[0] == 36) && u.shape[2] == cin && bias.count == cout,
                     "winograd weights \(u.shape) for \(cin) inputs")
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth, "winograd input \(x.shape)")
        if u.shape[0] == 36 {
            return winograd(x, u: u, bias: bias, plan: WinogradF4Plan(g, inChannels: cin, outChannels: cout),
                            residual: residual, clamp: clamp, compute: compute)
        }
        return winograd(x, u: u, bias: bias, plan: WinogradPlan(g, inChannels: cin, outChannels: cout),
                        residual: residual, clamp: clamp, compute: compute)
    }

    /// Transform blocks of tiles, one GEMM per transform point, transform back (with the epilogue).
    private static func winograd<Plan: WinogradTiling>(_ x: Tensor, u: Tensor, bias: [Float], plan: Plan,
                                                       residual: Tensor?, clamp: ClampRange, compute: ComputeContext) -> Tensor {
        let (n, cin, h, w, cout) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], u.shape[1])
        let positions = Plan.positions
        if let residual { precondition(residual.shape == [n, cout, plan.outHeight, plan.outWidth], "residual \(residual.shape)") }
        var y = Tensor.uninitialized(shape: [n, cout, plan.outHeight, plan.outWidth])
        // Tiles are numbered across the batch (image-major), so one block of GEMM columns can span
        // images: late layers (7×7 outputs, 16 tiles per image) then multiply by the transformed
        // weights once per block of several images instead of once per image.
        let totalTiles = n * plan.tiles
        let tileBlock = plan.tileBlock(totalTiles: totalTiles)
        let blocks = (totalTiles + tileBlock - 1) / tileBlock
        x.storage.withUnsafeBufferPointer { xb in
        u.storage.withUnsafeBufferPointer { ub in
        bias.withUnsafeBufferPointer { bb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rb in
            let planeIn = h * w, planeOut = plan.outHeight * plan.outWidth
            /// One block of tiles: transform in (by input channel), one GEMM per transform point,
            /// transform back with the epilogue (by output channel). v: [positions, Cin, tb],
            /// m: [positions, Cout, tb]. `split(n, body)` runs `body(0..<n)` here, or `0..<n` in
            /// parts on the workers.
            func run(block: Int, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                     split: (_ count: Int, _ body: (Range<Int>) -> Void) -> Void) {
                let span = block * tileBlock ..< min(totalTiles, (block + 1) * tileBlock)
                let (tb, ld) = (span.count, winogradRowLength(tiles: span.count))
                let segments = plan.segments(span)
                split(cin) { channels in
                    for s in segments {
                        plan.transformInput(xb.baseAddress! + s.image * cin * planeIn, tiles: s.tiles, channels: channels,
                                            into: v + s.column, ld: ld)
                    }
                }
                let (vStride, mStride) = (winogradPointStride(rows: cin, ld: ld), winogradPointStride(rows: cout, ld: ld))
                split(positions) { points in
                    for xi in points {
                        sgemm(m: cout, n: tb, k: cin, a: ub.baseAddress! + xi * cout * cin, lda: cin,
                              b: v + xi * vStride, ldb: ld, c: m + xi * mStride, ldc: ld, compute: compute)
                    }
                }
                split(cout) { channels in
                    for s in segments {
                        let offset = s.image * cout * planeOut
                        plan.transformOutput(m + s.column, ld: ld, tiles: s.tiles, channels: channels, bias: bb.baseAddress!,
                                             residual: rb.map { $0 + offset }, clamp: clamp, into: yb.baseAddress! + offset)
                    }
                }
            }
            func withBuffers(_ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
                let v = UnsafeMutablePointer<Float>.allocate(capacity: winogradBlockFloats(positions: positions, rows: cin, tiles: tileBlock))
                let m = UnsafeMutablePointer<Float>.allocate(capacity: winogradBlockFloats(positions: positions, rows: cout, tiles: tileBlock))
                defer { v.deallocate(); m.deallocate() }
                body(v, m)
            }
            if blocks < compute.workers || plan.weightsDominate {
                // Fewer blocks than workers (one image: every ResNet18 layer's tiles fit one block),
                // or weights larger than the blocks (`WinogradTiling.tileBlock`): blocks one after
                // another, each block's transforms (by channel) and its `positions` independent GEMMs
                // spread over the workers. Every channel and GEMM is computed as in one piece, so the
                // same bits.
                withBuffers { v, m in
                    for block in 0..<blocks {
                        run(block: block, v: v, m: m) { count, body in parallelChunks(count, workers: compute.workers, body) }
                    }
                }
            } else {
                // Blocks spread over the workers, each with its own transform buffers.
                parallelChunks(blocks, workers: compute.workers) { items in
                    withBuffers { v, m in
                        for block in items { run(block: block, v: v, m: m) { count, body in body(0..<count) } }
                    }
                }
            }
        }}}}}
        return y
    }
}

/// G, the weight transform of F(2×2, 3×3) (`outputTile` 2) or F(4×4, 3×3) (4): `[α][3]`.
func winogradWeightTransform(outputTile: Int) -> [[Double]] {
    outputTile == 2 ? WinogradPlan.weightTransform : WinogradF4Plan.weightTransform
}
