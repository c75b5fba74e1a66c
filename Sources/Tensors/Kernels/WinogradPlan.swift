/// The two transforms of one F(2×2, 3×3) convolution over its `WinogradTileGrid`.
///
/// Output tile `t = ty·tilesWide + tx` (2×2 outputs) reads the 4×4 padded-input window at rows
/// `2·ty …` and columns `2·tx …`. Both transforms are separable, and each is vectorised over
/// tiles: the input transform first combines columns inside every input row (`d B`, once per row,
/// although two tile rows share it), then rows (`Bᵀ (d B)`) over all tiles of the range as one
/// flat run, so a 7×7 layer (4 tiles per row) wastes no SIMD lanes on short rows.
///
/// Tiles are processed in blocks: a block's transformed input `V` and GEMM output `M` (each 4× the
/// size of the data they stand for) should stay near the core, yet each block re-reads the
/// transformed weights `U`; about 4 MB of `V` and `M` measured best (ResNet18, 1 vs 4 vs 16 MB).
struct WinogradPlan: WinogradTiling {
    static let outputTile = 2
    static let positions = 16
    let grid: WinogradTileGrid

    /// `V[ξ][c][t] = (Bᵀ d B)[ξ]` for every tile `t` in `tiles` of one image `x` `[Cin, H, W]`;
    /// `v` points at the block's first column, rows `ld` apart (`V` is `[16, Cin, ld]`).
    func transformInput(_ x: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>, ld: Int) {
        let (h, w) = (g.inputHeight, g.inputWidth)
        let stride = inChannels * ld
        let firstRow = tiles.lowerBound / tilesWide, lastRow = (tiles.upperBound - 1) / tilesWide
        let rowsUsed = lastRow - firstRow + 2   // tile row q reads input row pairs q and q + 1
        let runLength = rowsUsed * tilesWide + 8
        let pairs = roundUp8(tilesWide + 1)   // even/odd column pairs of one padded input row
        // rowT[j][parity][q' · tilesWide + tx] = (d B)[j] of tile tx on padded input row 2(firstRow + q') + parity.
        let rowT = UnsafeMutablePointer<Float>.allocate(capacity: 8 * runLength)
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: 2 * pairs + 16)
        let evenOdd = UnsafeMutablePointer<Float>.allocate(capacity: 2 * (pairs + 8))
        defer { rowT.deallocate(); padded.deallocate(); evenOdd.deallocate() }
        rowT.initialize(repeating: 0, count: 8 * runLength)
        padded.initialize(repeating: 0, count: 2 * pairs + 16)
        evenOdd.initialize(repeating: 0, count: 2 * (pairs + 8))
        let (even, odd) = (evenOdd, evenOdd + pairs + 8)
        let copyCount = max(0, min(w, 2 * tilesWide + 2 - g.padLeft))   // input columns inside the tiles
        let local0 = firstRow * tilesWide
        for c in 0..<inChannels {
            let plane = x + c * h * w
            for q in 0..<rowsUsed {
                for parity in 0..<2 {
                    let iy = 2 * (firstRow + q) + parity - g.padTop
                    let dst = rowT + parity * runLength + q * tilesWide, step = 2 * runLength   // j = 0…3 at dst + j·step
                    guard iy >= 0, iy < h else {
                        for j in 0..<4 { (dst + j * step).update(repeating: 0, count: tilesWide) }
                        continue
                    }
                    (padded + g.padLeft).update(from: plane + iy * w, count: copyCount)
                    var k = 0
                    while k < pairs {   // split into even and odd padded columns
                        let row = load16(padded + 2 * k)
                        store8(row.evenHalf, even + k)
                        store8(row.oddHalf, odd + k)
                        k += 8
                    }
                    var tx = 0
                    while tx < tilesWide {   // d B: tile tx reads columns 2tx … 2tx+3 = e[tx], o[tx], e[tx+1], o[tx+1]
                        let (e0, o0, e1, o1) = (load8(even + tx), load8(odd + tx), load8(even + tx + 1), load8(odd + tx + 1))
                        store8(e0 - e1, dst + tx)
                        store8(o0 + e1, dst + step + tx)
                        store8(e1 - o0, dst + 2 * step + tx)
                        store8(o0 - o1, dst + 3 * step + tx)
                        tx += 8
                    }
                }
            }
            // Bᵀ (d B): rows 2q, 2q+1, 2q+2, 2q+3 = even[q], odd[q], even[q+1], odd[q+1].
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                let l = t - local0
                let count = min(8, tiles.upperBound - t)
                let out = v + c * ld + (t - tiles.lowerBound)
                for j in 0..<4 {
                    let e = rowT + j * 2 * runLength + l, o = e + runLength
                    let (r0, r1, r2, r3) = (load8(e), load8(o), load8(e + tilesWide), load8(o + tilesWide))
                    storeLanes(r0 - r2, out + j * stride, count)
                    storeLanes(r1 + r2, out + (4 + j) * stride, count)
                    storeLanes(r2 - r1, out + (8 + j) * stride, count)
                    storeLanes(r1 - r3, out + (12 + j) * stride, count)
                }
                t += count
            }
        }
    }

    /// `y = clamp(Aᵀ m A + bias + residual)` for every output channel and tile in `tiles`,
    /// dropping the outputs of edge tiles that fall outside an odd-sized output. `m` points at the
    /// block's first column of `M` `[16, Cout, ld]` (with 8 floats of slack after it).
    func transformOutput(_ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>) {
        let stride = outChannels * ld
        let (ho, wo) = (outHeight, outWidth)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: 32)   // [4 outputs][8 tiles]
        defer { values.deallocate() }
        for o in 0..<outChannels {
            let plane = y + o * ho * wo
            let res = residual.map { $0 + o * ho * wo }
            let bv = SIMD8<Float>(repeating: bias[o])
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                let src = m + o * ld + (t - tiles.lowerBound)
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
                let count = min(8, tiles.upperBound - t)
                storeTiles(values, first: t, count: count, residual: res, clamp: clamp, into: plane)
                t += count
            }
        }
    }
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}
