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
    /// or slack) are left out. The arithmetic is the plan's `B v`, `out[a] = Σᵢ Bᵀ[i][a] · v[i]`
    /// (`inputAdjointColumn`, `inputAdjointRow`).
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
                for j in 0..<side {
                    Self.inputAdjointColumn(src + j * pointStride, iStride: iStride, count: count,
                                            own: own + j * ownStep + (t - local0), below: below + j * belowStep + (t - local0), run: run)
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
                    let (mine, hasMine) = (UnsafePointer(own + phase * run + q * tilesWide), q < tileRows)
                    let (above, hasAbove) = (UnsafePointer(below + phase * run + (q - 1) * tilesWide), q > 0 && phase < 2)
                    var carry = (Float(0), Float(0))   // the previous vector's last tile's columns size, size + 1
                    var tx = 0
                    while tx < tilesWide {
                        Self.inputAdjointRow(mine: hasMine ? mine + tx : nil, ownStep: ownStep, above: hasAbove ? above + tx : nil,
                                             belowStep: belowStep, inRow: tilesWide - tx, carry: &carry,
                                             into: phases + tx, phaseStride: phaseStride)
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

/// Lanes `count ..< 8` of `v` zeroed (eight tiles of which only the first `count` are in the range or row).
/// As a bit mask (`lane − count` shifted down to its sign: all ones where lane < count): the
/// standard library's `replacing(with:where:)` had become a lane-by-lane loop through memory here.
@inline(__always)
func firstLanes(_ v: SIMD8<Float>, _ count: Int) -> SIMD8<Float> {
    let keep = (SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &- Int32(count)) &>> 31
    return unsafeBitCast(unsafeBitCast(v, to: SIMD8<Int32>.self) & keep, to: SIMD8<Float>.self)
}

/// `(first, v₀, …, v₆)`: a vector of tiles' last columns moved onto the next tiles' first.
@inline(__always)
func shiftIn(_ v: SIMD8<Float>, _ first: Float) -> SIMD8<Float> {
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
