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
    /// `channels`; `v` points at the block's first column of `V` `[positions, Cin, ld]`.
    func transformInput(_ x: UnsafePointer<Float>, tiles: Range<Int>, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, ld: Int)
    /// `y = clamp(Aᵀ m A + bias + residual)` for the tiles `tiles` of one image and the output
    /// channels `channels`; `m` points at the block's first column of `M` `[positions, Cout, ld]`,
    /// with 8 floats of slack after `M`.
    func transformOutput(_ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>)
    /// `A v` for the `outputTile` vectors of eight tiles at `v`, `v + stride`, …: the `outputTile + 2`
    /// vectors at `out`, `out + outStride`, …, their first `count` lanes. The adjoint of `Aᵀ`, for the
    /// weight gradient; inlined, so the vectors stay in registers between load and store.
    static func expandOutputGradient(_ v: UnsafePointer<Float>, stride: Int,
                                     into out: UnsafeMutablePointer<Float>, outStride: Int, count: Int)
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
    @inline(__always)
    func storeTiles(_ values: UnsafePointer<Float>, first: Int, count: Int, residual: UnsafePointer<Float>?,
                    clamp: ClampRange, into plane: UnsafeMutablePointer<Float>) {
        let size = Self.outputTile
        let (ho, wo) = (outHeight, outWidth)
        var (ty, tx) = (first / tilesWide, first % tilesWide)
        for lane in 0..<count {
            for dy in 0..<size where size * ty + dy < ho {
                for dx in 0..<size where size * tx + dx < wo {
                    let index = (size * ty + dy) * wo + size * tx + dx
                    let value = values[(dy * size + dx) * 8 + lane] + (residual?[index] ?? 0)
                    plane[index] = min(max(value, clamp.lower), clamp.upper)
                }
            }
            tx += 1
            if tx == tilesWide { (ty, tx) = (ty + 1, 0) }
        }
    }
}

@inline(__always)
func roundUp8(_ n: Int) -> Int { (n + 7) / 8 * 8 }

/// The first `count` lanes of `value` to `p` (all eight with one vector store when `count` is 8).
@inline(__always)
func storeLanes(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 {
        store8(value, p)
    } else {
        for lane in 0..<count { p[lane] = value[lane] }
    }
}
