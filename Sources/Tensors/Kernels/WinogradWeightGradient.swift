import Support
/// The weight gradient of a 3×3 stride-1 convolution in the Winograd domain.
///
/// The forward computes every output tile as `Y = Aᵀ [U ⊙ V] A` with `U = G g Gᵀ` and `V = Bᵀ d B`,
/// summed over input channels. Each step is linear, so its adjoint carries dY back:
///
///     dM = A dY Aᵀ                               per output channel and tile (α × α from m × m)
///     dU[ξ] [Cout, Cin] = Σ_tiles dM[ξ] · V[ξ]ᵀ   one GEMM per transform point ξ
///     dW = Gᵀ dU G                               per channel pair (3 × 3 from α × α)
///
/// In exact arithmetic that is the direct gradient `Σ dY · x` (the forward is exactly the convolution);
/// it needs 16 (F(2×2, 3×3)) or 36 (F(4×4, 3×3)) multiplications per tile and channel pair
/// instead of 36 or 144. Tiles overhanging the output carry zero dY there. Each dU[ξ] is one GEMM
/// accumulating block after block on one worker, so the result does not depend on the worker count.
extension Tensor {
    /// - dy: `[N, Cout, Ho, Wo]`; x: `[N, Cin, H, W]` (the forward's input); g: the forward's geometry
    ///   (3×3, stride 1). `outputTile` 2 or 4 picks the Winograd variant.
    /// - Returns: dW `[Cout, Cin·9]`.
    public static func winogradWeightGradient(_ dy: Tensor, input x: Tensor, geometry g: ConvolutionGeometry,
                                              outputTile: Int, compute: ComputeContext) -> Tensor {
        winogradBackward(dy, input: x, transformedWeights: nil, geometry: g, outputTile: outputTile, compute: compute).weights
    }

    /// The weight gradient and, given the forward's transformed weights `u` (`winogradWeights`, the
    /// same `outputTile`), the input gradient, from one pass over the blocks of tiles.
    ///
    /// The input gradient is the adjoint of the forward too: `dV[ξ] [Cin, tiles] = U[ξ]ᵀ · dM[ξ]`,
    /// one more GEMM per transform point on the `dM` the weight gradient has just made, then
    /// `B dV Bᵀ` per tile added into dX over the tile's input window (`transformInputAdjoint`). As a
    /// convolution of dY with the turned kernel, it had cost a transform of the turned weights (38 MB
    /// per step for a layer4 convolution by F(4×4)) and a transform of dY of its own.
    /// - Returns: dX `[N, Cin, H, W]` (nil without `u`) and dW `[Cout, Cin·9]`.
    public static func winogradBackward(_ dy: Tensor, input x: Tensor, transformedWeights u: Tensor?,
                                        geometry g: ConvolutionGeometry, outputTile: Int,
                                        compute: ComputeContext) -> (input: Tensor?, weights: Tensor) {
        let (cin, cout) = (x.shape[1], dy.shape[1])
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1, "winograd backward needs 3×3 stride 1, got \(g)")
        precondition(x.rank == 4 && x.shape[2] == g.inputHeight && x.shape[3] == g.inputWidth
                         && dy.shape == [x.shape[0], cout, g.outputHeight, g.outputWidth],
                     "winograd backward: dy \(dy.shape), x \(x.shape) for \(g)")
        precondition(outputTile == 2 || outputTile == 4, "winograd output tile \(outputTile): 2 or 4")
        if let u {
            precondition(u.shape == [(outputTile + 2) * (outputTile + 2), cout, cin],
                         "winograd backward: transformed weights \(u.shape) for F(\(outputTile)×\(outputTile)), \(cout) × \(cin)")
        }
        if outputTile == 4 {
            return winogradBackward(dy, x, u, plan: WinogradF4Plan(g, inChannels: cin, outChannels: cout), compute: compute)
        }
        return winogradBackward(dy, x, u, plan: WinogradPlan(g, inChannels: cin, outChannels: cout), compute: compute)
    }

    private static func winogradBackward<Plan: WinogradTiling>(_ dy: Tensor, _ x: Tensor, _ u: Tensor?, plan: Plan,
                                                               compute: ComputeContext) -> (input: Tensor?, weights: Tensor) {
        let (n, cin, cout) = (x.shape[0], plan.inChannels, plan.outChannels)
        let positions = Plan.positions
        let (planeIn, planeOut) = (plan.g.inputHeight * plan.g.inputWidth, plan.outHeight * plan.outWidth)
        let totalTiles = n * plan.tiles
        // The forward's blocks. Four times as many tiles a block (fewer passes of the dU GEMMs over dU)
        // had paid while the backward made only dW; with dV and its adjoint reading V and dM again,
        // blocks that stay in the cache pay more. ResNet18 training, Zen 4: the three F(4×4) backward
        // transforms 9.5 → 6.9 % of a step (`perf`), 16 alternating runs 24.7 → 25.5 img/s (mean).
        let tileBlock = plan.tileBlock(totalTiles: totalTiles)
        let blocks = (totalTiles + tileBlock - 1) / tileBlock
        // dU's points a cache line apart in the L1 sets, as V's and M's: the adjoint reads all of a pair's at once.
        let dUStride = winogradPointStride(rows: cout, ld: cin)
        let dU = UnsafeMutablePointer<Float>.allocate(capacity: positions * dUStride)
        // V, and after each point's weight-gradient GEMM that point's dV (the input gradient's).
        let v = UnsafeMutablePointer<Float>.allocate(capacity: winogradBlockFloats(positions: positions, rows: cin, tiles: tileBlock))
        let m = UnsafeMutablePointer<Float>.allocate(capacity: winogradBlockFloats(positions: positions, rows: cout, tiles: tileBlock))
        defer { dU.deallocate(); v.deallocate(); m.deallocate() }
        var dx = u == nil ? Tensor(shape: [0]) : Tensor.uninitialized(shape: x.shape)   // written by transformInputAdjoint
        x.storage.withUnsafeBufferPointer { xb in
        dy.storage.withUnsafeBufferPointer { db in
        withOptionalPointer(u) { up in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let dxp = u == nil ? nil : dxb.baseAddress   // an empty array may still have a base address
            for block in 0..<blocks {
                let span = block * tileBlock ..< min(totalTiles, (block + 1) * tileBlock)
                let (tb, ld) = (span.count, winogradRowLength(tiles: span.count))
                let segments = plan.segments(span)
                parallelChunks(cin, workers: compute.workers) { channels in
                    for s in segments {
                        plan.transformInput(xb.baseAddress! + s.image * cin * planeIn, tiles: s.tiles, channels: channels,
                                            into: v + s.column, ld: ld)
                    }
                }
                parallelChunks(cout, workers: compute.workers) { channels in
                    for s in segments {
                        plan.transformOutputGradient(db.baseAddress! + s.image * cout * planeOut, tiles: s.tiles,
                                                     channels: channels, into: m + s.column, ld: ld)
                    }
                }
                let (vStride, mStride) = (winogradPointStride(rows: cin, ld: ld), winogradPointStride(rows: cout, ld: ld))
                parallelChunks(positions, workers: compute.workers) { points in
                    for xi in points {
                        sgemm(transposeB: true, m: cout, n: cin, k: tb, a: m + xi * mStride, lda: ld,
                              b: v + xi * vStride, ldb: ld, beta: block == 0 ? 0 : 1, c: dU + xi * dUStride, ldc: cin,
                              compute: compute)
                        guard let up else { continue }
                        sgemm(transposeA: true, m: cin, n: tb, k: cout, a: up + xi * cout * cin, lda: cin,
                              b: m + xi * mStride, ldb: ld, c: v + xi * vStride, ldc: ld, compute: compute)
                    }
                }
                guard let dxp else { continue }
                parallelChunks(cin, workers: compute.workers) { channels in
                    for s in segments {
                        plan.transformInputAdjoint(v + s.column, ld: ld, tiles: s.tiles, channels: channels,
                                                   into: dxp + s.image * cin * planeIn)
                    }
                }
            }
        }}}}
        let dW = winogradWeightsAdjoint(dU, pointStride: dUStride, outputTile: Plan.outputTile, outChannels: cout, inChannels: cin,
                                        compute: compute)
        return (u == nil ? nil : dx, dW)
    }

    /// `dW = Gᵀ dU G` per channel pair, in Double (the adjoint of `winogradWeights`): dU `[α², Cout, Cin]`
    /// (points `pointStride` apart) → `[Cout, Cin·9]`.
    ///
    /// For one output channel and a run of up to `weightTransformRun` input channels at a time: each transform
    /// point's row of the run is read in one piece into `dU G` (`[α][3][run]` in Double, in the cache),
    /// then `Gᵀ (dU G)`. Pair by pair, the 36 points of a pair (each a point's stride away) had been
    /// read a few bytes at a time, and the loads waited on memory. The same operations in the same
    /// order for every pair as pair by pair, so the same bits.
    static func winogradWeightsAdjoint(_ dU: UnsafePointer<Float>, pointStride: Int, outputTile: Int, outChannels cout: Int,
                                       inChannels cin: Int, compute: ComputeContext) -> Tensor {
        let gm = winogradWeightTransform(outputTile: outputTile).flatMap { $0 }
        let alpha = outputTile + 2
        let run = weightTransformRun
        var dW = Tensor.uninitialized(shape: [cout, cin * 9])
        dW.storage.withUnsafeMutableBufferPointer { wb in
          gm.withUnsafeBufferPointer { f in
          parallelChunks(cout, workers: compute.workers) { outputs in
            let t = UnsafeMutablePointer<Double>.allocate(capacity: alpha * 3 * run)   // dU G: row i·3 + b, `run` pairs
            defer { t.deallocate() }
            for o in outputs {
                var c0 = 0
                while c0 < cin {
                    let n = min(run, cin - c0)
                    t.update(repeating: 0, count: alpha * 3 * run)
                    for i in 0..<alpha {
                        let (t0, t1, t2) = (t + (i * 3) * run, t + (i * 3 + 1) * run, t + (i * 3 + 2) * run)
                        for j in 0..<alpha {   // (dU G)[i][b] = Σⱼ dU[i][j] · G[j][b], j in order
                            let row = dU + (i * alpha + j) * pointStride + o * cin + c0
                            let (g0, g1, g2) = (f[j * 3], f[j * 3 + 1], f[j * 3 + 2])
                            var c = 0
                            while c + 4 <= n {
                                let v = SIMD4<Double>(UnsafeRawPointer(row + c).loadUnaligned(as: SIMD4<Float>.self))
                                addTo(t0 + c, v * g0)
                                addTo(t1 + c, v * g1)
                                addTo(t2 + c, v * g2)
                                c += 4
                            }
                            while c < n {
                                let v = Double(row[c])
                                t0[c] += v * g0
                                t1[c] += v * g1
                                t2[c] += v * g2
                                c += 1
                            }
                        }
                    }
                    // dW[a][b] = Σᵢ G[i][a] · (dU G)[i][b], i in order; four pairs at a time (lanes).
                    let out = wb.baseAddress! + (o * cin + c0) * 9
                    var c = 0
                    while c < n {
                        let lanes = min(4, n - c)
                        for a in 0..<3 {
                            for b in 0..<3 {
                                var sum = SIMD4<Double>()
                                for i in 0..<alpha {
                                    let p = t + (i * 3 + b) * run + c
                                    sum += f[i * 3 + a] * (lanes == 4 ? UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
                                                                      : SIMD4(p[0], lanes > 1 ? p[1] : 0, lanes > 2 ? p[2] : 0, 0))
                                }
                                for lane in 0..<lanes { out[(c + lane) * 9 + a * 3 + b] = Float(sum[lane]) }
                            }
                        }
                        c += 4
                    }
                    c0 += run
                }
            }
          }
          }
        }
        return dW
    }

    /// Input channels per run of `winogradWeights` and `winogradWeightsAdjoint`: `G g` or `dU G` of a
    /// run, 18 rows of Doubles, is 18 KB.
    static var weightTransformRun: Int { 128 }
}

/// `p[0..<4] += v`.
@inline(__always)
private func addTo(_ p: UnsafeMutablePointer<Double>, _ v: SIMD4<Double>) {
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Double>.self) + v, as: SIMD4<Double>.self)
}

extension WinogradTiling {
    /// `dM[ξ][o][t] = (A dY_t Aᵀ)[ξ]` for every output channel `o` in `channels` and tile `t` in `tiles`
    /// of one image's output gradient `dy` `[Cout, Ho, Wo]`; `dm` points at the block's first column
    /// of `dM` `[positions, Cout, ld]`. Zero beyond the output (the tiles' overhang). Stores whole
    /// vectors of eight tiles: up to seven columns past `tiles` are overwritten (`winogradRowLength`).
    ///
    /// Separable and vectorised over tiles like `transformInput`: each row of `dy` the tiles cover is
    /// split into `outputTile` column phases (tile `tx` holds columns `outputTile · tx …`, no column
    /// shared) and expanded along the row, eight tiles at a time (`A v` over a tile's columns: one
    /// plane `j` per transform column); then each plane's rows are expanded over flat runs of eight
    /// tiles (`A v` over a tile's rows). Per tile the same operations in the same order as gathering
    /// the tile and expanding it, so the same bits; the gather, sixteen scalar copies per tile and
    /// channel, had made this transform 6 % of a ResNet18 training step (Zen 4, `perf`).
    func transformOutputGradient(_ dy: UnsafePointer<Float>, tiles: Range<Int>, channels: Range<Int>,
                                 into dm: UnsafeMutablePointer<Float>, ld: Int) {
        let size = Self.outputTile, side = Self.outputTile + 2
        let (ho, wo) = (outHeight, outWidth)
        let stride = winogradPointStride(rows: outChannels, ld: ld)   // between transform points of dM
        let firstRow = tiles.lowerBound / tilesWide, lastRow = (tiles.upperBound - 1) / tilesWide
        // rowT [j][a][runLength]: entry q · tilesWide + tx of run (j, a) is (dY A)[j] of tile tx's row a
        // in tile row firstRow + q; 8 floats of slack for the last vector of a run.
        let runLength = (lastRow - firstRow + 1) * tilesWide + 8
        let planeStep = size * runLength   // between planes j of rowT
        let groups = roundUp8(tilesWide)   // tile columns, a whole number of vectors
        let rowT = UnsafeMutablePointer<Float>.allocate(capacity: side * planeStep)
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: size * groups)   // one row, zero beyond Wo
        let phases = UnsafeMutablePointer<Float>.allocate(capacity: size * groups)
        defer { rowT.deallocate(); padded.deallocate(); phases.deallocate() }
        rowT.initialize(repeating: 0, count: side * planeStep)
        padded.initialize(repeating: 0, count: size * groups)
        phases.initialize(repeating: 0, count: size * groups)
        let local0 = firstRow * tilesWide
        for o in channels {
            let plane = dy + o * ho * wo
            for q in 0...(lastRow - firstRow) {
                for a in 0..<size {
                    let row = size * (firstRow + q) + a
                    // Each row's last vector also writes the next row's first entries, rewritten next.
                    let dst = rowT + a * runLength + q * tilesWide
                    guard row < ho else {
                        for j in 0..<side { (dst + j * planeStep).update(repeating: 0, count: tilesWide) }
                        continue
                    }
                    padded.update(from: plane + row * wo, count: wo)
                    splitPhases(padded, groups: groups, into: phases, phaseStride: groups)
                    var tx = 0
                    while tx < tilesWide {
                        Self.expandOutputGradient(phases + tx, stride: groups, into: dst + tx, outStride: planeStep)
                        tx += 8
                    }
                }
            }
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                let out = dm + o * ld + (t - tiles.lowerBound)
                for j in 0..<side {
                    Self.expandOutputGradient(rowT + j * planeStep + (t - local0), stride: runLength,
                                              into: out + j * stride, outStride: side * stride)
                }
                t += 8
            }
        }
    }
}
