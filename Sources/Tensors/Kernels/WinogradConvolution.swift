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
    /// `U = G g Gᵀ` for every (output, input) channel pair, computed in Double:
    /// weights `[Cout, Cin·3·3]` → `[16, Cout, Cin]`.
    public static func winogradWeights(_ weights: Tensor) -> Tensor {
        let (cout, cin) = (weights.shape[0], weights.shape[1] / 9)
        precondition(weights.rank == 2 && weights.shape[1] == cin * 9, "winograd weights need [Cout, Cin·9], got \(weights.shape)")
        let gm: [[Double]] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
        var u = Tensor.uninitialized(shape: [16, cout, cin])
        for o in 0..<cout {
            for c in 0..<cin {
                let g = (0..<9).map { Double(weights.storage[(o * cin + c) * 9 + $0]) }
                for i in 0..<4 {
                    for j in 0..<4 {
                        var sum = 0.0
                        for a in 0..<3 { for b in 0..<3 { sum += gm[i][a] * g[a * 3 + b] * gm[j][b] } }
                        u.storage[((i * 4 + j) * cout + o) * cin + c] = Float(sum)
                    }
                }
            }
        }
        return u
    }

    /// `y = clamp(conv3×3(x) + bias + residual)`, stride 1, with `u` from `winogradWeights`.
    /// x: `[N, Cin, H, W]` → `[N, Cout, Ho, Wo]`.
    public static func winogradConvolution(_ x: Tensor, transformedWeights u: Tensor, bias: [Float],
                                           geometry g: ConvolutionGeometry, residual: Tensor? = nil,
                                           clamp: ClampRange = .none, workers: Int = Parallelism.workers) -> Tensor {
        let (n, cin, cout) = (x.shape[0], x.shape[1], u.shape[1])
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1, "winograd F(2,3) needs 3×3 stride 1")
        precondition(u.shape == [16, cout, cin] && bias.count == cout, "winograd weights \(u.shape) for \(cin) inputs")
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth, "winograd input \(x.shape)")
        let plan = WinogradPlan(g, inChannels: cin, outChannels: cout)
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
            let planeIn = g.inputHeight * g.inputWidth, planeOut = plan.outHeight * plan.outWidth
            parallelChunks(blocks, workers: workers) { items in
                // Per-worker transform buffers for one block of tiles: V [16, Cin, tb], M [16, Cout, tb].
                let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * cin * tileBlock)
                let m = UnsafeMutablePointer<Float>.allocate(capacity: 16 * cout * tileBlock + 8)   // + SIMD slack
                defer { v.deallocate(); m.deallocate() }
                for block in items {
                    let span = block * tileBlock ..< min(totalTiles, (block + 1) * tileBlock)
                    let tb = span.count
                    let segments = plan.segments(span)
                    for s in segments {
                        plan.transformInput(xb.baseAddress! + s.image * cin * planeIn, tiles: s.tiles,
                                            into: v + s.column, ld: tb)
                    }
                    for xi in 0..<16 {
                        sgemm(m: cout, n: tb, k: cin, a: ub.baseAddress! + xi * cout * cin, lda: cin,
                              b: v + xi * cin * tb, ldb: tb, c: m + xi * cout * tb, ldc: tb)
                    }
                    for s in segments {
                        let offset = s.image * cout * planeOut
                        plan.transformOutput(m + s.column, ld: tb, tiles: s.tiles, bias: bb.baseAddress!,
                                             residual: rb.map { $0 + offset }, clamp: clamp, into: yb.baseAddress! + offset)
                    }
                }
            }
        }}}}}
        return y
    }
}
