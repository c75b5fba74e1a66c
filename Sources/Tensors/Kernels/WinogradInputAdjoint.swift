/// The adjoint of `transformInput`, for the input gradient of a Winograd convolution in training.
///
/// The forward transforms each α × α input window `d` of a tile to `V = Bᵀ d B`; the windows of
/// neighbouring tiles overlap by two rows and two columns. Its adjoint takes `dV` (from
/// `dV[ξ] = U[ξ]ᵀ · dM[ξ]`, the GEMM's adjoint) back to `B dV Bᵀ` per tile and adds every window
/// into the input gradient, the overlaps summed and the padding dropped. Separable and vectorised
/// over eight tiles as the forward: first the adjoint of the column pass (`B` over a tile's transform
/// rows, into its padded rows, over flat runs of tiles), then, row by row, the adjoint of the row
/// pass (`B` over a tile's transform columns, into the row's column phases) and the phases merged
/// back into the row.
///
/// Nothing is read back right after a store that overlaps it partly (a store-forwarding stall on
/// every vector, which had made this transform cost twice the forward's): a tile's last two rows,
/// which belong to the next row of tiles, go to rows of their own (`below`) and are added when that
/// row is read; its last two columns, which are the next tile's first, are carried in registers
/// to the next vector (`shiftIn`).
extension WinogradTiling {
    /// Adds `B dV Bᵀ` of every tile in `tiles` and input channel in `channels` into one image's
    /// input gradient `dx` `[Cin, H, W]`, whose rows only this range reaches it writes rather than
    /// adds to (the first range of an image need not find `dx` cleared). Ranges of an image must come
    /// in order, each after the one before has finished. `dv` points at the block's first column of `dV`
    /// `[positions, Cin, ld]` (`V`'s layout); the last vector's columns past `tiles` (the next range's,
    /// or slack) are left out. The arithmetic is the plan's `B v`, `out[a] = Σᵢ Bᵀ[i][a] · v[i]`,
    /// for its `outputTile + 2` vectors (`WinogradTiling.inputAdjoint`).
    func transformInputAdjoint(_ dv: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>,
                               into dx: UnsafeMutablePointer<Float>) {
        let size = Self.outputTile, side = Self.outputTile + 2
        let (h, w) = (g.inputHeight, g.inputWidth)
        let firstRow = tiles.lowerBound / tilesWide, lastRow = (tiles.upperBound - 1) / tilesWide
        let tileRows = lastRow - firstRow + 1
        let pointStride = winogradPointStride(rows: inChannels, ld: ld)
        let iStride = side * pointStride   // between transform rows i of dV
        // own [j][p][run], p < size: the gradient of `d B` of tile (q, tx) on its padded row size·q + p,
        // entry q · tilesWide + tx (q counted from firstRow); below [j][p][run], p < 2: of its rows
        // size·q + size + p, the next tile row's first two. 8 floats of slack for the last vector.
        let run = tileRows * tilesWide + 8
        let (ownStep, belowStep) = (size * run, 2 * run)   // between planes j
        let own = UnsafeMutablePointer<Float>.allocate(capacity: side * ownStep)
        let below = UnsafeMutablePointer<Float>.allocate(capacity: side * belowStep)
        let groups = roundUp8(tilesWide + 1)   // column groups of `size` in one padded input row
        let phaseStride = groups + 8
        let phases = UnsafeMutablePointer<Float>.allocate(capacity: size * phaseStride)
        let rowFloats = size * groups
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: 2 * rowFloats)   // two merged padded rows
        defer { own.deallocate(); below.deallocate(); phases.deallocate(); padded.deallocate() }
        phases.initialize(repeating: 0, count: size * phaseStride)
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let rowEnd = lanes .< Int32(tilesWide % 8)   // a row's last vector: lanes inside the row (when tilesWide % 8 > 0)
        let copyCount = max(0, min(w, size * tilesWide + 2 - g.padLeft))   // input columns inside the tiles
        // The windows reach every input (size · tiles ≥ Ho = H + padTop + padBottom − 2): no part of
        // dx is left for zeros.
        precondition(copyCount == w && size * tilesHigh + 2 - g.padTop >= h, "winograd input adjoint: tiles miss inputs of \(g)")
        let local0 = firstRow * tilesWide
        // Entries of the first and last tile rows outside the range (and past its last vector) stay zero.
        let (head, written) = (tiles.lowerBound - local0, roundUp8(tiles.count))
        let tailStart = head + written, tailEnd = tileRows * tilesWide
        // Padded rows up to `shared` have had their part from the image's earlier tiles (an earlier
        // range): added to. Later ones are this range's alone: stored, so `dx` needs no clearing.
        let shared = tiles.lowerBound == 0 ? -1 : size * ((tiles.lowerBound - 1) / tilesWide) + size + 1
        /// Padded row `r`'s input columns inside the tiles from `from` into `row`.
        @inline(__always) func addRow(_ from: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, padded r: Int) {
            let adds = r <= shared
            var x = 0
            while x + 8 <= copyCount {
                store8(adds ? load8(row + x) + load8(from + x) : load8(from + x), row + x)
                x += 8
            }
            while x < copyCount {
                row[x] = adds ? row[x] + from[x] : from[x]
                x += 1
            }
        }
        @inline(__always) func clearOutsideRange(_ rowsOf: UnsafeMutablePointer<Float>) {
            rowsOf.update(repeating: 0, count: head)
            if tailEnd > tailStart { (rowsOf + tailStart).update(repeating: 0, count: tailEnd - tailStart) }
        }
        for c in channels {
            // Columns: transform rows i of plane j back to padded rows a, 8 tiles at a time.
            for j in 0..<side {
                for p in 0..<size { clearOutsideRange(own + j * ownStep + p * run) }
                for p in 0..<2 { clearOutsideRange(below + j * belowStep + p * run) }
            }
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                let count = min(8, tiles.upperBound - t)
                let src = dv + c * ld + (t - tiles.lowerBound)
                let keep = count < 8 ? lanes .< Int32(count) : nil
                for j in 0..<side {
                    let out = Self.inputAdjoint(loadVectors(src + j * pointStride, iStride, side, keep))
                    let (mine, next) = (own + j * ownStep + (t - local0), below + j * belowStep + (t - local0))
                    store8(out.0, mine)
                    store8(out.1, mine + run)
                    if side == 4 {
                        store8(out.2, next)
                        store8(out.3, next + run)
                    } else {
                        store8(out.2, mine + 2 * run)
                        store8(out.3, mine + 3 * run)
                        store8(out.4, next)
                        store8(out.5, next + run)
                    }
                }
                t += 8
            }
            // Rows: transform columns j back to padded columns, phase by phase, then into dx.
            let plane = dx + c * h * w
            var pending: (row: UnsafeMutablePointer<Float>, from: UnsafePointer<Float>, padded: Int)? = nil
            for q in 0...tileRows {
                // Padded row size·q + p: own row p of tile row q, plus for p < 2 the rows below tile row q − 1.
                for phase in 0..<size where q < tileRows || phase < 2 {
                    let iy = size * (firstRow + q) + phase - g.padTop
                    guard iy >= 0, iy < h else { continue }
                    let mine: UnsafePointer<Float>? = q < tileRows ? UnsafePointer(own + phase * run + q * tilesWide) : nil
                    let above: UnsafePointer<Float>? = q > 0 && phase < 2
                        ? UnsafePointer(below + phase * run + (q - 1) * tilesWide) : nil
                    var carry = (Float(0), Float(0))   // the previous vector's last tile's columns size, size + 1
                    var tx = 0
                    while tx < tilesWide {
                        // Lanes past the row hold the next row of tiles.
                        var v = mine.map { loadVectors($0 + tx, ownStep, side, nil) } ?? zeroVectors
                        if let above {
                            let b = loadVectors(above + tx, belowStep, side, nil)
                            v = (v.0 + b.0, v.1 + b.1, v.2 + b.2, v.3 + b.3, v.4 + b.4, v.5 + b.5)
                        }
                        if tilesWide - tx < 8 { v = masked(v, rowEnd) }
                        let out = Self.inputAdjoint(v)
                        // Column size·tx + b: phase b of tile tx, or phase b − size of tile tx + 1.
                        let p = phases + tx
                        let (overlap0, overlap1) = side == 4 ? (out.2, out.3) : (out.4, out.5)
                        store8(out.0 + shiftIn(overlap0, carry.0), p)
                        store8(out.1 + shiftIn(overlap1, carry.1), p + phaseStride)
                        if side > 4 {
                            store8(out.2, p + 2 * phaseStride)
                            store8(out.3, p + 3 * phaseStride)
                        }
                        carry = (overlap0[7], overlap1[7])
                        tx += 8
                    }
                    phases[tx] = carry.0   // tile tilesWide − 1's last columns, when it ended a vector
                    phases[phaseStride + tx] = carry.1
                    // Merged into one buffer while the row before is added from the other: read back
                    // right after the merge's stores and one column off (the padding), the row had
                    // stalled on every vector.
                    let buffer = padded + (iy & 1) * rowFloats
                    mergePhases(phases, groups: groups, phaseStride: phaseStride, into: buffer)
                    if let (row, from, r) = pending { addRow(from, into: row, padded: r) }
                    pending = (plane + iy * w, UnsafePointer(buffer + g.padLeft), iy + g.padTop)
                }
            }
            if let (row, from, r) = pending { addRow(from, into: row, padded: r) }
        }
    }

    /// `phases + p · phaseStride + k` to padded column `size · k + p`, for `k < groups`: `splitPhases` undone.
    @inline(__always)
    func mergePhases(_ phases: UnsafePointer<Float>, groups: Int, phaseStride: Int, into padded: UnsafeMutablePointer<Float>) {
        var k = 0
        while k < groups {
            if Self.outputTile == 2 {
                let row = interleave(load8(phases + k), load8(phases + phaseStride + k))
                UnsafeMutableRawPointer(padded + 2 * k).storeBytes(of: row, as: SIMD16<Float>.self)
            } else {
                let even = interleave(load8(phases + k), load8(phases + 2 * phaseStride + k))
                let odd = interleave(load8(phases + phaseStride + k), load8(phases + 3 * phaseStride + k))
                UnsafeMutableRawPointer(padded + 4 * k).storeBytes(of: interleave(even, odd), as: SIMD32<Float>.self)
            }
            k += 8
        }
    }
}

/// Up to six vectors of eight tiles: a transform's rows or columns (F(2×2, 3×3) uses the first four).
typealias WinogradVectors = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

private let zeroVectors: WinogradVectors = (.zero, .zero, .zero, .zero, .zero, .zero)

/// `count` (4 or 6) vectors `step` apart from `p`, zero past them, lanes outside `keep` zeroed.
@inline(__always)
private func loadVectors(_ p: UnsafePointer<Float>, _ step: Int, _ count: Int, _ keep: SIMDMask<SIMD8<Int32>>?) -> WinogradVectors {
    let v: WinogradVectors = (load8(p), load8(p + step), load8(p + 2 * step), load8(p + 3 * step),
                              count > 4 ? load8(p + 4 * step) : .zero, count > 5 ? load8(p + 5 * step) : .zero)
    return keep.map { masked(v, $0) } ?? v
}

/// `v` with the lanes outside `keep` zeroed.
@inline(__always)
private func masked(_ v: WinogradVectors, _ keep: SIMDMask<SIMD8<Int32>>) -> WinogradVectors {
    let outside = .!keep
    return (v.0.replacing(with: 0, where: outside), v.1.replacing(with: 0, where: outside),
            v.2.replacing(with: 0, where: outside), v.3.replacing(with: 0, where: outside),
            v.4.replacing(with: 0, where: outside), v.5.replacing(with: 0, where: outside))
}

/// `(first, v₀, …, v₆)`: a vector of tiles' last columns moved onto the next tiles' first.
@inline(__always)
private func shiftIn(_ v: SIMD8<Float>, _ first: Float) -> SIMD8<Float> {
    SIMD8(first, v[0], v[1], v[2], v[3], v[4], v[5], v[6])
}

/// `(a₀, b₀, a₁, b₁, …)`: the inverse of `evenHalf` / `oddHalf`.
@inline(__always)
private func interleave(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    (r.evenHalf, r.oddHalf) = (a, b)
    return r
}

@inline(__always)
private func interleave(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD32<Float> {
    var r = SIMD32<Float>()
    (r.evenHalf, r.oddHalf) = (a, b)
    return r
}
