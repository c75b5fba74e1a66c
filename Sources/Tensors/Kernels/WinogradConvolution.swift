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
        x.storage.withUnsafeBufferPointer { xb in
        u.storage.withUnsafeBufferPointer { ub in
        bias.withUnsafeBufferPointer { bb in
        y.storage.withUnsafeMutableBufferPointer { yb in
        withOptionalPointer(residual) { rb in
            let planeIn = g.inputHeight * g.inputWidth, planeOut = plan.outHeight * plan.outWidth
            parallelChunks(n * plan.blocks, workers: workers) { items in
                // Per-worker transform buffers for one block of tiles: V [16, Cin, tb], M [16, Cout, tb].
                let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * cin * plan.tileBlock)
                let m = UnsafeMutablePointer<Float>.allocate(capacity: 16 * cout * plan.tileBlock)
                defer { v.deallocate(); m.deallocate() }
                for item in items {
                    let (image, block) = (item / plan.blocks, item % plan.blocks)
                    let tiles = block * plan.tileBlock ..< min(plan.tiles, (block + 1) * plan.tileBlock)
                    let tb = tiles.count
                    plan.transformInput(xb.baseAddress! + image * cin * planeIn, tiles: tiles, into: v)
                    for xi in 0..<16 {
                        sgemm(m: cout, n: tb, k: cin, a: ub.baseAddress! + xi * cout * cin, lda: cin,
                              b: v + xi * cin * tb, ldb: tb, c: m + xi * cout * tb, ldc: tb)
                    }
                    let offset = image * cout * planeOut
                    plan.transformOutput(m, tiles: tiles, bias: bb.baseAddress!, residual: rb.map { $0 + offset },
                                         clamp: clamp, into: yb.baseAddress! + offset)
                }
            }
        }}}}}
        return y
    }
}

/// Tile geometry of one F(2×2, 3×3) convolution and its two transforms.
///
/// Tiles are processed in blocks: a block's transformed input `V` and GEMM output `M` (each 4× the
/// size of the data they stand for) should stay near the core, yet each block re-reads the
/// transformed weights `U`; about 4 MB of `V` and `M` measured best (ResNet18, 1 vs 4 vs 16 MB).
struct WinogradPlan {
    let g: ConvolutionGeometry
    let inChannels: Int, outChannels: Int
    let outHeight: Int, outWidth: Int
    let tilesHigh: Int, tilesWide: Int
    let tileBlock: Int
    var tiles: Int { tilesHigh * tilesWide }
    var blocks: Int { (tiles + tileBlock - 1) / tileBlock }

    init(_ g: ConvolutionGeometry, inChannels: Int, outChannels: Int) {
        self.g = g
        self.inChannels = inChannels
        self.outChannels = outChannels
        outHeight = g.outputHeight
        outWidth = g.outputWidth
        tilesHigh = (outHeight + 1) / 2
        tilesWide = (outWidth + 1) / 2
        let budget = 1_048_576 / (16 * (inChannels + outChannels))   // ~4 MB of V and M: measured best of 1, 4, 16 MB
        tileBlock = min(tilesHigh * tilesWide, max(16, budget / 8 * 8))
    }

    /// `V[ξ][c][t] = (Bᵀ d B)[ξ]` for the 4×4 input window `d` of every tile `t` in `tiles`.
    ///
    /// Eight horizontally adjacent tiles at a time: tile `tx` reads input columns `2·tx + j`
    /// (j = 0…3), so after splitting each input row into even and odd columns, `d[i][j]` of eight
    /// tiles is one contiguous SIMD8 load and all 16 outputs are SIMD8 stores.
    func transformInput(_ x: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>) {
        let (h, w, tb) = (g.inputHeight, g.inputWidth, tiles.count)
        let stride = inChannels * tb
        let half = tilesWide + 9   // even/odd row length: tilesWide + 1 columns used, the rest SIMD slack
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: 8 * half)   // [4 rows][even, odd][half]
        defer { rows.deallocate() }
        let firstRow = tiles.lowerBound / tilesWide, lastRow = (tiles.upperBound - 1) / tilesWide
        for c in 0..<inChannels {
            let plane = x + c * h * w
            for ty in firstRow...lastRow {
                for i in 0..<4 {
                    let even = rows + 2 * i * half, odd = even + half
                    even.initialize(repeating: 0, count: 2 * half)
                    let iy = 2 * ty - g.padTop + i
                    guard iy >= 0, iy < h else { continue }
                    let src = plane + iy * w
                    for px in 0..<(2 * tilesWide + 2) {   // padded column px = input column px − padLeft
                        let ix = px - g.padLeft
                        if ix >= 0, ix < w { (px & 1 == 0 ? even : odd)[px >> 1] = src[ix] }
                    }
                }
                let rowTiles = max(tiles.lowerBound, ty * tilesWide) ..< min(tiles.upperBound, (ty + 1) * tilesWide)
                var t = rowTiles.lowerBound
                while t < rowTiles.upperBound {
                    let tx = t - ty * tilesWide
                    let out = v + c * tb + (t - tiles.lowerBound)
                    let count = min(8, rowTiles.upperBound - t)
                    // d[i][j] for eight tiles: j = 0, 2 from the even columns, j = 1, 3 from the odd ones.
                    func d(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        let even = rows + 2 * i * half + tx, odd = even + half
                        return (load8(even), load8(odd), load8(even + 1), load8(odd + 1))
                    }
                    let (d0, d1, d2, d3) = (d(0), d(1), d(2), d(3))
                    // Bᵀ d, row by row (each row is four SIMD8 columns), then · B.
                    storeRow((d0.0 - d2.0, d0.1 - d2.1, d0.2 - d2.2, d0.3 - d2.3), out, stride: stride, count: count)
                    storeRow((d1.0 + d2.0, d1.1 + d2.1, d1.2 + d2.2, d1.3 + d2.3), out + 4 * stride, stride: stride, count: count)
                    storeRow((d2.0 - d1.0, d2.1 - d1.1, d2.2 - d1.2, d2.3 - d1.3), out + 8 * stride, stride: stride, count: count)
                    storeRow((d1.0 - d3.0, d1.1 - d3.1, d1.2 - d3.2, d1.3 - d3.3), out + 12 * stride, stride: stride, count: count)
                    t += count
                }
            }
        }
    }

    /// One row `r` of `Bᵀ d` (eight tiles per column) times `B`, to four positions `stride` apart.
    @inline(__always)
    private func storeRow(_ r: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                          _ out: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        let values = (r.0 - r.2, r.1 + r.2, r.2 - r.1, r.1 - r.3)
        if count == 8 {
            store8(values.0, out)
            store8(values.1, out + stride)
            store8(values.2, out + 2 * stride)
            store8(values.3, out + 3 * stride)
        } else {
            for lane in 0..<count {
                out[lane] = values.0[lane]
                out[stride + lane] = values.1[lane]
                out[2 * stride + lane] = values.2[lane]
                out[3 * stride + lane] = values.3[lane]
            }
        }
    }

    /// `y = clamp(Aᵀ m A + bias + residual)` for every output channel and tile in `tiles`,
    /// dropping the outputs of edge tiles that fall outside an odd-sized output.
    func transformOutput(_ m: UnsafePointer<Float>, tiles: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>) {
        let tb = tiles.count
        let stride = outChannels * tb
        let (ho, wo) = (outHeight, outWidth)
        for o in 0..<outChannels {
            let plane = y + o * ho * wo
            let res = residual.map { $0 + o * ho * wo }
            let b = bias[o]
            for t in tiles {
                let (ty, tx) = (t / tilesWide, t % tilesWide)
                let src = m + o * tb + (t - tiles.lowerBound)
                var s0 = SIMD4<Float>.zero, s1 = SIMD4<Float>.zero   // Aᵀ m: two rows of four
                for j in 0..<4 {
                    let (p, q, r, s) = (src[j * stride], src[(4 + j) * stride], src[(8 + j) * stride], src[(12 + j) * stride])
                    s0[j] = p + q + r
                    s1[j] = q - r - s
                }
                let out = SIMD4<Float>(s0[0] + s0[1] + s0[2], s0[1] - s0[2] - s0[3],   // (Aᵀ m) A
                                       s1[0] + s1[1] + s1[2], s1[1] - s1[2] - s1[3])
                for dy in 0..<2 where 2 * ty + dy < ho {
                    for dx in 0..<2 where 2 * tx + dx < wo {
                        let index = (2 * ty + dy) * wo + 2 * tx + dx
                        let value = out[dy * 2 + dx] + b + (res?[index] ?? 0)
                        plane[index] = min(max(value, clamp.lower), clamp.upper)
                    }
                }
            }
        }
    }
}

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}
