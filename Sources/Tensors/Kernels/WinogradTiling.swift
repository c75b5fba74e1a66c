/// What `Tensor.winogradConvolution` needs from a Winograd variant: F(2×2, 3×3) (`WinogradPlan`) or
/// F(4×4, 3×3) (`WinogradF4Plan`). Tiles are numbered per image, row-major over the output.
protocol WinogradTiling {
    /// Outputs along each side of a tile (2 or 4).
    static var outputTile: Int { get }
    /// Points of the transformed tile (16 or 36): one GEMM each.
    static var positions: Int { get }
    var grid: WinogradTileGrid { get }
    init(grid: WinogradTileGrid)
    /// `V[ξ][c][t]` for the tiles `tiles` of one image `x` `[Cin, H, W]` and the input channels
    /// `channels`; `v` points at the block's first column of `V` `[positions, Cin, ld]`. Stores whole
    /// vectors of eight tiles, so up to seven columns past `tiles` are overwritten (`winogradRowLength`).
    func transformInput(_ x: UnsafePointer<Float>, tiles: Range<Int>, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, ld: Int)
    /// `y = clamp(Aᵀ m A + bias + residual)` for the tiles `tiles` of one image and the output
    /// channels `channels`; `m` points at the block's first column of `M` `[positions, Cout, ld]`
    /// (reads whole vectors of eight tiles, within the row's slack, `winogradRowLength`).
    func transformOutput(_ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>)
    /// `transformInput`'s row pass for eight tiles: `d B` from one padded row's column phases at `p`
    /// (`phaseStride` apart), plane j to `dst + j · step` (the shared `transformInput`). Written as the
    /// plan's static functions rather than closures passed to the frame, which were not inlined.
    static func inputRowPass(_ p: UnsafePointer<Float>, phaseStride: Int, into dst: UnsafeMutablePointer<Float>, step: Int)
    /// `transformInput`'s column pass for eight tiles of one plane: `Bᵀ (d B)` from the padded rows
    /// `r + rows.row(i)`, transform row k to `out + k · rows.outStride`.
    static func inputColumnPass(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: WinogradRows)
    /// `transformInputAdjoint`'s column part for eight tiles and one transform column: `B v` over
    /// the `outputTile + 2` transform rows at `src`, `src + iStride`, … (lanes `count ..< 8` taken as
    /// zero); result rows `a < outputTile` to `own + a · run`, the last two (the next tile row's
    /// first two) to `below`, `below + run`. The arithmetic is written out per plan with the vectors
    /// in registers: passed between functions as tuples, they had gone through memory.
    static func inputAdjointColumn(_ src: UnsafePointer<Float>, iStride: Int, count: Int,
                                   own: UnsafeMutablePointer<Float>, below: UnsafeMutablePointer<Float>, run: Int)
    /// `transformInputAdjoint`'s row part for eight tiles of one padded row: `v_j` = `mine[j · ownStep]`
    /// + `above[j · belowStep]` (either absent: zero), lanes `inRow ..< 8` zeroed; `B v` over the
    /// transform columns j into the row's phases at `phases`, `phases + phaseStride`, …; the last two
    /// columns of each tile are the next tile's first two, shifted one lane on, and the last lane's
    /// go on in `carry` to the next eight tiles.
    static func inputAdjointRow(mine: UnsafePointer<Float>?, ownStep: Int, above: UnsafePointer<Float>?, belowStep: Int,
                                inRow: Int, carry: inout (Float, Float), into phases: UnsafeMutablePointer<Float>,
                                phaseStride: Int)
    /// `A v` for the `outputTile` vectors of eight tiles at `v`, `v + stride`, …: the `outputTile + 2`
    /// vectors at `out`, `out + outStride`, …. The adjoint of `Aᵀ`, for the weight gradient; inlined,
    /// so the vectors stay in registers between load and store.
    static func expandOutputGradient(_ v: UnsafePointer<Float>, stride: Int,
                                     into out: UnsafeMutablePointer<Float>, outStride: Int)
}

extension WinogradTiling {
    init(_ g: ConvolutionGeometry, inChannels: Int, outChannels: Int) {
        self.init(grid: WinogradTileGrid(g, inChannels: inChannels, outChannels: outChannels, outputTile: Self.outputTile))
    }

    var g: ConvolutionGeometry { grid.g }
    var inChannels: Int { grid.inChannels }
    var outChannels: Int { grid.outChannels }
    var outHeight: Int { grid.outHeight }
    var outWidth: Int { grid.outWidth }
    var tilesHigh: Int { grid.tilesHigh }
    var tilesWide: Int { grid.tilesWide }
    /// Output tiles per image.
    var tiles: Int { grid.tilesHigh * grid.tilesWide }

    /// Tiles per GEMM block when `totalTiles` tiles (all images) are to be done: about 4 MB of
    /// `V` and `M` (`positions · (Cin + Cout)` floats a tile), a multiple of 8, at least 16.
    ///
    /// When the transformed weights are larger than that (`weightsDominate`), every block streams
    /// them from memory and a small block leaves the GEMMs a few columns each (ResNet18's layer4 by
    /// F(4×4): 24 tiles for 512 × 512 weights per point): then blocks of equal size up to about
    /// 32 MB of `V` and `M`, all tiles of a batch-32 step of layer3 or layer4 in one.
    func tileBlock(totalTiles: Int) -> Int {
        let perTile = Self.positions * (inChannels + outChannels)
        if weightsDominate {
            let largest = max(16, Self.largeBlockFloats / perTile / 8 * 8)
            let blocks = (totalTiles + largest - 1) / largest
            return min(totalTiles, ((totalTiles + blocks - 1) / blocks + 7) / 8 * 8)
        }
        return min(totalTiles, max(16, Self.blockFloats / perTile / 8 * 8))
    }

    /// Whether the transformed weights `U` `[positions, Cout, Cin]` outweigh a block's `V` and `M`
    /// budget. Such layers run their blocks one after another with each block's GEMMs split over the
    /// workers, so each worker reads half of `U` per block instead of all of it.
    var weightsDominate: Bool { Self.positions * inChannels * outChannels > Self.blockFloats }

    /// About 4 MB of floats: a block's `V` and `M` in the usual case.
    static var blockFloats: Int { 1_048_576 }
    /// About 32 MB: the largest block when the weights dominate.
    static var largeBlockFloats: Int { 8_388_608 }

    /// The per-image pieces of a block of batch-wide tile numbers (`image · tiles + t`): image,
    /// tiles within that image, and the first GEMM column they occupy.
    func segments(_ span: Range<Int>) -> [(image: Int, tiles: Range<Int>, column: Int)] {
        var result: [(image: Int, tiles: Range<Int>, column: Int)] = []
        var t = span.lowerBound
        while t < span.upperBound {
            let image = t / tiles
            let end = min(span.upperBound, (image + 1) * tiles)
            result.append((image, (t - image * tiles) ..< (end - image * tiles), t - span.lowerBound))
            t = end
        }
        return result
    }

    /// The outputs of tiles `first ..< first + count` (at most 8) from `values` `[outputTile², 8 tiles]`
    /// into `plane`, one output channel `[Ho, Wo]`, with `residual` (the same channel) added and
    /// `clamp` applied; outputs of edge tiles that fall outside an output the tile does not divide are dropped.
    ///
    /// A tile inside the output goes row by row as one short vector (its `outputTile` values gathered
    /// from the lanes), the same arithmetic per value as the edge tiles' scalar loop; one by one, the
    /// stores had cost as much as the output transform's arithmetic.
    @inline(__always)
    func storeTiles(_ values: UnsafePointer<Float>, first: Int, count: Int, residual: UnsafePointer<Float>?,
                    clamp: ClampRange, into plane: UnsafeMutablePointer<Float>) {
        let size = Self.outputTile
        let (ho, wo) = (outHeight, outWidth)
        var (ty, tx) = (first / tilesWide, first % tilesWide)
        for lane in 0..<count {
            let (y0, x0) = (size * ty, size * tx)
            if y0 + size <= ho && x0 + size <= wo {
                for dy in 0..<size {
                    let index = (y0 + dy) * wo + x0
                    let src = values + dy * size * 8 + lane
                    if size == 4 {
                        storeClamped(SIMD4(src[0], src[8], src[16], src[24]), residual.map { $0 + index }, clamp, plane + index)
                    } else {
                        storeClamped(SIMD2(src[0], src[8]), residual.map { $0 + index }, clamp, plane + index)
                    }
                }
            } else {
                for dy in 0..<size where y0 + dy < ho {
                    for dx in 0..<size where x0 + dx < wo {
                        let index = (y0 + dy) * wo + x0 + dx
                        let value = values[(dy * size + dx) * 8 + lane] + (residual?[index] ?? 0)
                        plane[index] = min(max(value, clamp.lower), clamp.upper)
                    }
                }
            }
            tx += 1
            if tx == tilesWide { (ty, tx) = (ty + 1, 0) }
        }
    }
}

/// `p[i] = min(max(v[i] + residual[i], lower), upper)` for the lanes of `v`, with `residual` zero
/// when absent (still added: −0 becomes +0 as in the scalar loop).
@inline(__always)
private func storeClamped<V: SIMD>(_ v: V, _ residual: UnsafePointer<Float>?, _ clamp: ClampRange,
                                   _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    var r = v + (residual.map { UnsafeRawPointer($0).loadUnaligned(as: V.self) } ?? V())
    for i in r.indices { r[i] = min(max(r[i], clamp.lower), clamp.upper) }
    UnsafeMutableRawPointer(p).storeBytes(of: r, as: V.self)
}

@inline(__always)
func roundUp8(_ n: Int) -> Int { (n + 7) / 8 * 8 }

/// The row length of a block's `V` and `M` (and the weight gradient's `dM`) for `tiles` columns.
///
/// The transforms into them store whole vectors of eight tiles, so the last vector of a range of
/// tiles may write up to seven columns past it: into the next range's columns, which the same
/// worker writes after it (ranges are one image's part of a block, in order), or into this slack
/// after the last range, never into another channel's row. Storing only a range's last few lanes
/// one by one had cost a fifth of the input transform's time, and kept its inner loop out of line
/// (ResNet18's layer4 by F(4×4) has four tiles per image: every one of its vectors was partial).
func winogradRowLength(tiles: Int) -> Int { roundUp8(tiles + 7) }

/// Between the transform points of a block's `V` or `M` (`[positions][rows][ld]`): `rows · ld` floats
/// rounded up to 4 KB, plus 64 bytes.
///
/// A transform writes (or reads) one row of every transform point for each channel, 16 or 36 rows
/// at once. With ResNet's power-of-two channel counts, `rows · ld` apart they fell into one or two
/// sets of the 12-way L1 cache and evicted each other between the two halves of a cache line;
/// one line apart, the rows of consecutive points use consecutive sets.
func winogradPointStride(rows: Int, ld: Int) -> Int { (rows * ld + 1023) / 1024 * 1024 + 16 }

/// Floats for a block of `V` or `M` of up to `tiles` columns: `positions` transform points of `rows`
/// rows each, laid out by `winogradRowLength` and `winogradPointStride`.
func winogradBlockFloats(positions: Int, rows: Int, tiles: Int) -> Int {
    positions * winogradPointStride(rows: rows, ld: winogradRowLength(tiles: tiles))
}
