/// The two transforms of one F(2×2, 3×3) convolution over its `WinogradTileGrid`.
///
/// Output tile `t = ty·tilesWide + tx` (2×2 outputs) reads the 4×4 padded-input window at rows
/// `2·ty …` and columns `2·tx …`. Both transforms are separable, and each is vectorised over
/// tiles: the input transform first combines columns inside every input row (`d B`, once per row,
/// although two tile rows share it), then rows (`Bᵀ (d B)`) over all tiles of the range as one
/// flat run, so a 7×7 layer (4 tiles per row) wastes no SIMD lanes on short rows. The loops,
/// scratch and indexing are `WinogradTiling.transformInput`/`transformOutputTiles`, shared with
/// `WinogradF4Plan`; this type gives the F(2×2, 3×3) arithmetic.
///
/// Tiles are processed in blocks: a block's transformed input `V` and GEMM output `M` (each 4× the
/// size of the data they stand for) should stay near the core, yet each block re-reads the
/// transformed weights `U`; about 4 MB of `V` and `M` measured best (ResNet18, 1 vs 4 vs 16 MB).
struct WinogradPlan: WinogradTiling {
    static let outputTile = 2
    static let positions = 16
    static let weightTransform: [[Double]] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
    let grid: WinogradTileGrid

    /// d B: tile tx reads padded columns 2tx … 2tx+3 = e[tx], o[tx], e[tx+1], o[tx+1] (phases even, odd).
    @inline(__always)
    static func inputRowPass(_ p: UnsafePointer<Float>, phaseStride: Int, into dst: UnsafeMutablePointer<Float>, step: Int) {
        let (e0, o0, e1, o1) = (load8(p), load8(p + phaseStride), load8(p + 1), load8(p + phaseStride + 1))
        store8(e0 - e1, dst)
        store8(o0 + e1, dst + step)
        store8(e1 - o0, dst + 2 * step)
        store8(o0 - o1, dst + 3 * step)
    }

    /// Bᵀ (d B): padded rows 2q, 2q+1, 2q+2, 2q+3.
    @inline(__always)
    static func inputColumnPass(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: WinogradRows) {
        let (r0, r1, r2, r3) = (load8(r), load8(r + rows.row(1)), load8(r + rows.row(2)), load8(r + rows.row(3)))
        store8(r0 - r2, out)
        store8(r1 + r2, out + rows.outStride)
        store8(r2 - r1, out + 2 * rows.outStride)
        store8(r1 - r3, out + 3 * rows.outStride)
    }

    /// `y = clamp(Aᵀ m A + bias + residual)` for every output channel in `channels` and tile in `tiles`,
    /// dropping the outputs of edge tiles that fall outside an odd-sized output. `m` points at the
    /// block's first column of `M` `[16, Cout, ld]` (rows with the slack of `winogradRowLength`).
    func transformOutput(_ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>) {
        transformOutputTiles(m, ld: ld, tiles: tiles, channels: channels, bias: bias, residual: residual, clamp: clamp, into: y) { src, stride, bv, values in
            // Aᵀ m, two rows of four: a = m₀ⱼ + m₁ⱼ + m₂ⱼ and b = m₁ⱼ − m₂ⱼ − m₃ⱼ per column j; then · A.
            let (m0, m1, m2, m3) = (load8(src), load8(src + 1 * stride), load8(src + 2 * stride), load8(src + 3 * stride))
            let (m4, m5, m6, m7) = (load8(src + 4 * stride), load8(src + 5 * stride), load8(src + 6 * stride), load8(src + 7 * stride))
            let (m8, m9, m10, m11) = (load8(src + 8 * stride), load8(src + 9 * stride), load8(src + 10 * stride), load8(src + 11 * stride))
            let (m12, m13, m14, m15) = (load8(src + 12 * stride), load8(src + 13 * stride), load8(src + 14 * stride), load8(src + 15 * stride))
            let (a0, a1, a2, a3) = (m0 + m4 + m8, m1 + m5 + m9, m2 + m6 + m10, m3 + m7 + m11)
            let (b0, b1, b2, b3) = (m4 - m8 - m12, m5 - m9 - m13, m6 - m10 - m14, m7 - m11 - m15)
            store8(a0 + a1 + a2 + bv, values)
            store8(a1 - a2 - a3 + bv, values + 8)
            store8(b0 + b1 + b2 + bv, values + 16)
            store8(b1 - b2 - b3 + bv, values + 24)
        }
    }

    /// `B v`, B = (Bᵀ)ᵀ: rows (1, 0, 0, 0), (0, 1, −1, 1), (−1, 1, 1, 0), (0, 0, 0, −1).
    @inline(__always)
    static func inputAdjointColumn(_ src: UnsafePointer<Float>, iStride: Int, count: Int,
                                   own: UnsafeMutablePointer<Float>, below: UnsafeMutablePointer<Float>, run: Int) {
        var (v0, v1, v2, v3) = (load8(src), load8(src + iStride), load8(src + 2 * iStride), load8(src + 3 * iStride))
        if count < 8 { (v0, v1, v2, v3) = (firstLanes(v0, count), firstLanes(v1, count), firstLanes(v2, count), firstLanes(v3, count)) }
        store8(v0, own)
        store8(v1 - v2 + v3, own + run)
        store8(v1 + v2 - v0, below)
        store8(-v3, below + run)
    }

    @inline(__always)
    static func inputAdjointRow(mine: UnsafePointer<Float>?, ownStep: Int, above: UnsafePointer<Float>?, belowStep: Int,
                                inRow: Int, carry: inout (Float, Float), into phases: UnsafeMutablePointer<Float>,
                                phaseStride: Int) {
        var (v0, v1, v2, v3) = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
        if let mine { (v0, v1, v2, v3) = (load8(mine), load8(mine + ownStep), load8(mine + 2 * ownStep), load8(mine + 3 * ownStep)) }
        if let above {
            (v0, v1) = (v0 + load8(above), v1 + load8(above + belowStep))
            (v2, v3) = (v2 + load8(above + 2 * belowStep), v3 + load8(above + 3 * belowStep))
        }
        if inRow < 8 { (v0, v1, v2, v3) = (firstLanes(v0, inRow), firstLanes(v1, inRow), firstLanes(v2, inRow), firstLanes(v3, inRow)) }
        let (b2, b3) = (v1 + v2 - v0, -v3)   // the next tile's first two columns
        store8(v0 + shiftIn(b2, carry.0), phases)
        store8(v1 - v2 + v3 + shiftIn(b3, carry.1), phases + phaseStride)
        carry = (b2[7], b3[7])
    }

    /// `A v` with `A` = Aᵀ transposed, rows (1, 0), (1, 1), (1, −1), (0, −1).
    @inline(__always)
    static func expandOutputGradient(_ v: UnsafePointer<Float>, stride: Int,
                                     into out: UnsafeMutablePointer<Float>, outStride: Int) {
        let (v0, v1) = (load8(v), load8(v + stride))
        store8(v0, out)
        store8(v0 + v1, out + outStride)
        store8(v0 - v1, out + 2 * outStride)
        store8(-v1, out + 3 * outStride)
    }
}
