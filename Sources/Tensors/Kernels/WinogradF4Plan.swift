/// The transforms of Winograd F(4×4, 3×3) over its `WinogradTileGrid` (Lavin & Gray, 2015, points 0, ±1, ±2, ∞).
///
/// Each 4×4 block of outputs comes from a 6×6 input tile: 36 multiplications instead of 144 (4× fewer,
/// against F(2×2, 3×3)'s 2.25×), and the transformed input is 2.25× the size of the data it stands
/// for instead of 4×. The price is rounding: the transforms multiply by up to 8 and the weight transform
/// divides by 6 and 24, so outputs differ from the direct convolution by a few float32 ulps of the
/// largest partial sums more than F(2×2, 3×3) does (see `Conv2d.winogradOutputTile`).
///
///     Bᵀ = | 4  0 -5  0  1  0 |   G = |  1/4     0     0  |   Aᵀ = | 1  1  1  1  1  0 |
///          | 0 -4 -4  1  1  0 |       | -1/6  -1/6  -1/6  |        | 0  1 -1  2 -2  0 |
///          | 0  4 -4 -1  1  0 |       | -1/6   1/6  -1/6  |        | 0  1  1  4  4  0 |
///          | 0 -2 -1  2  1  0 |       |  1/24  1/12  1/6  |        | 0  1 -1  8 -8  1 |
///          | 0  2 -1 -2  1  0 |       |  1/24 -1/12  1/6  |
///          | 0  4  0 -5  0  1 |       |  0     0     1    |
///
/// Both transforms are separable and vectorised over tiles like `WinogradPlan`'s: input rows are
/// split into four column phases (tile `tx` reads columns `4·tx … 4·tx + 5`), combined within the
/// row once, then rows are combined over flat runs of tiles.
struct WinogradF4Plan: WinogradTiling {
    static let outputTile = 4
    static let positions = 36
    static let weightTransform: [[Double]] = [[0.25, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                                              [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]
    let grid: WinogradTileGrid

    /// d B: tile tx reads padded columns 4tx … 4tx+5 = phases 0…3 of tx, phases 0, 1 of tx + 1.
    @inline(__always)
    static func inputRowPass(_ p: UnsafePointer<Float>, phaseStride: Int, into dst: UnsafeMutablePointer<Float>, step: Int) {
        let r = transformB(load8(p), load8(p + phaseStride), load8(p + 2 * phaseStride), load8(p + 3 * phaseStride),
                           load8(p + 1), load8(p + phaseStride + 1))
        store8(r.0, dst)
        store8(r.1, dst + step)
        store8(r.2, dst + 2 * step)
        store8(r.3, dst + 3 * step)
        store8(r.4, dst + 4 * step)
        store8(r.5, dst + 5 * step)
    }

    /// Bᵀ (d B): padded rows 4q … 4q+5.
    @inline(__always)
    static func inputColumnPass(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: WinogradRows) {
        let s = transformB(load8(r), load8(r + rows.row(1)), load8(r + rows.row(2)), load8(r + rows.row(3)),
                           load8(r + rows.row(4)), load8(r + rows.row(5)))
        store8(s.0, out)
        store8(s.1, out + rows.outStride)
        store8(s.2, out + 2 * rows.outStride)
        store8(s.3, out + 3 * rows.outStride)
        store8(s.4, out + 4 * rows.outStride)
        store8(s.5, out + 5 * rows.outStride)
    }

    func transformOutput(_ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>) {
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: 4 * 6 * 8)   // Aᵀ m: [4 rows][6 columns][8 tiles]
        defer { columns.deallocate() }
        transformOutputTiles(m, ld: ld, tiles: tiles, channels: channels, bias: bias, residual: residual, clamp: clamp, into: y) { src, stride, bv, values in
            for j in 0..<6 {
                let s = transformA(load8(src + j * stride), load8(src + (6 + j) * stride), load8(src + (12 + j) * stride),
                                   load8(src + (18 + j) * stride), load8(src + (24 + j) * stride), load8(src + (30 + j) * stride))
                store8(s.0, columns + j * 8)
                store8(s.1, columns + (6 + j) * 8)
                store8(s.2, columns + (12 + j) * 8)
                store8(s.3, columns + (18 + j) * 8)
            }
            for row in 0..<4 {
                let r = columns + row * 48
                let s = transformA(load8(r), load8(r + 8), load8(r + 16), load8(r + 24), load8(r + 32), load8(r + 40))
                store8(s.0 + bv, values + row * 32)
                store8(s.1 + bv, values + row * 32 + 8)
                store8(s.2 + bv, values + row * 32 + 16)
                store8(s.3 + bv, values + row * 32 + 24)
            }
        }
    }

    @inline(__always)
    static func inputAdjointColumn(_ src: UnsafePointer<Float>, iStride: Int, count: Int,
                                   own: UnsafeMutablePointer<Float>, below: UnsafeMutablePointer<Float>, run: Int) {
        var (v0, v1, v2) = (load8(src), load8(src + iStride), load8(src + 2 * iStride))
        var (v3, v4, v5) = (load8(src + 3 * iStride), load8(src + 4 * iStride), load8(src + 5 * iStride))
        if count < 8 {
            (v0, v1, v2) = (firstLanes(v0, count), firstLanes(v1, count), firstLanes(v2, count))
            (v3, v4, v5) = (firstLanes(v3, count), firstLanes(v4, count), firstLanes(v5, count))
        }
        let b = adjointB(v0, v1, v2, v3, v4, v5)
        store8(b.0, own)
        store8(b.1, own + run)
        store8(b.2, own + 2 * run)
        store8(b.3, own + 3 * run)
        store8(b.4, below)
        store8(b.5, below + run)
    }

    @inline(__always)
    static func inputAdjointRow(mine: UnsafePointer<Float>?, ownStep: Int, above: UnsafePointer<Float>?, belowStep: Int,
                                inRow: Int, carry: inout (Float, Float), into phases: UnsafeMutablePointer<Float>,
                                phaseStride: Int) {
        var (v0, v1, v2, v3, v4, v5) = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero,
                                        SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
        if let mine {
            (v0, v1, v2) = (load8(mine), load8(mine + ownStep), load8(mine + 2 * ownStep))
            (v3, v4, v5) = (load8(mine + 3 * ownStep), load8(mine + 4 * ownStep), load8(mine + 5 * ownStep))
        }
        if let above {
            (v0, v1, v2) = (v0 + load8(above), v1 + load8(above + belowStep), v2 + load8(above + 2 * belowStep))
            (v3, v4, v5) = (v3 + load8(above + 3 * belowStep), v4 + load8(above + 4 * belowStep), v5 + load8(above + 5 * belowStep))
        }
        if inRow < 8 {
            (v0, v1, v2) = (firstLanes(v0, inRow), firstLanes(v1, inRow), firstLanes(v2, inRow))
            (v3, v4, v5) = (firstLanes(v3, inRow), firstLanes(v4, inRow), firstLanes(v5, inRow))
        }
        let b = adjointB(v0, v1, v2, v3, v4, v5)
        store8(b.0 + shiftIn(b.4, carry.0), phases)
        store8(b.1 + shiftIn(b.5, carry.1), phases + phaseStride)
        store8(b.2, phases + 2 * phaseStride)
        store8(b.3, phases + 3 * phaseStride)
        carry = (b.4[7], b.5[7])
    }

    /// `A v` with `A` = Aᵀ transposed, rows (1, 0, 0, 0), (1, 1, 1, 1), (1, −1, 1, −1), (1, 2, 4, 8),
    /// (1, −2, 4, −8), (0, 0, 0, 1).
    @inline(__always)
    static func expandOutputGradient(_ v: UnsafePointer<Float>, stride: Int,
                                     into out: UnsafeMutablePointer<Float>, outStride: Int) {
        let (v0, v1, v2, v3) = (load8(v), load8(v + stride), load8(v + 2 * stride), load8(v + 3 * stride))
        let (even, odd) = (v0 + v2, v1 + v3)
        let (even4, odd2) = (v0 + 4 * v2, 2 * v1 + 8 * v3)
        store8(v0, out)
        store8(even + odd, out + outStride)
        store8(even - odd, out + 2 * outStride)
        store8(even4 + odd2, out + 3 * outStride)
        store8(even4 - odd2, out + 4 * outStride)
        store8(v3, out + 5 * outStride)
    }
}

/// `Bᵀ d` for one column `d₀ … d₅` of eight tiles (and, applied to rows, `d B`).
@inline(__always)
private func transformB(_ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>, _ d3: SIMD8<Float>,
                        _ d4: SIMD8<Float>, _ d5: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let (four, five, two) = (SIMD8<Float>(repeating: 4), SIMD8<Float>(repeating: 5), SIMD8<Float>(repeating: 2))
    let a = d4 - four * d2, b = d3 - four * d1   // rows 1, 2: (d4 − 4d2) ∓ (4d1 − d3)
    let c = d4 - d2, e = two * (d3 - d1)          // rows 3, 4: (d4 − d2) ± 2(d3 − d1)
    return (four * d0 - five * d2 + d4, a + b, a - b, c + e, c - e, four * d1 - five * d3 + d5)
}

/// `B v` (the adjoint of `Bᵀ`, `transformB`), B = (Bᵀ)ᵀ: the columns of Bᵀ above.
@inline(__always)
private func adjointB(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                      _ v4: SIMD8<Float>, _ v5: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let (s12, d12, s34, d34) = (v1 + v2, v2 - v1, v3 + v4, v4 - v3)
    return (4 * v0, 4 * d12 + 2 * d34 + 4 * v5, -5 * v0 - 4 * s12 - s34, -d12 - 2 * d34 - 5 * v5, v0 + s12 + s34, v5)
}

/// `Aᵀ m` for one column `m₀ … m₅` of eight tiles (and, applied to rows, `m A`).
@inline(__always)
private func transformA(_ m0: SIMD8<Float>, _ m1: SIMD8<Float>, _ m2: SIMD8<Float>, _ m3: SIMD8<Float>,
                        _ m4: SIMD8<Float>, _ m5: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let (sum12, diff12, sum34, diff34) = (m1 + m2, m1 - m2, m3 + m4, m3 - m4)
    return (m0 + sum12 + sum34, diff12 + 2 * diff34, sum12 + 4 * sum34, diff12 + 8 * diff34 + m5)
}
