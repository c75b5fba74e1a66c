/// Where `transformInput`'s first pass leaves a range of tiles' input rows, the same for both plans:
/// `rowT` `[outputTile + 2 planes j][outputTile phases][runLength]`, entry `q' · tilesWide + tx` of
/// phase `p` being `(d B)[j]` of tile `tx` on padded input row `outputTile · (firstRow + q') + p`.
struct WinogradRows {
    /// One phase's run: `rowsUsed · tilesWide` and 8 floats of slack for the last vector.
    let runLength: Int
    /// Between the outputs of consecutive transform rows: `(outputTile + 2)` transform points
    /// (`winogradPointStride`).
    let outStride: Int
    /// `row(i)` for i = 0 … 5, worked out once: the column pass asks for them with constant `i` for
    /// every eight tiles, and `outputTile` is not a constant there.
    private let offsets: (Int, Int, Int, Int, Int, Int)

    init(outputTile: Int, tilesWide: Int, runLength: Int, outStride: Int) {
        (self.runLength, self.outStride) = (runLength, outStride)
        func offset(_ i: Int) -> Int { i < outputTile ? i * runLength : (i - outputTile) * runLength + tilesWide }
        offsets = (offset(0), offset(1), offset(2), offset(3), offset(4), offset(5))
    }

    /// From a tile's plane-`j` entry (padded row `outputTile · q`) to the entry of padded row
    /// `outputTile · q + i`: phase `i` of the same tile row, or phase `i − outputTile` of the next.
    @inline(__always)
    func row(_ i: Int) -> Int {
        switch i {
        case 0: offsets.0
        case 1: offsets.1
        case 2: offsets.2
        case 3: offsets.3
        case 4: offsets.4
        default: offsets.5
        }
    }
}

extension WinogradTiling {
    /// `transformInput` for both plans; the plan gives the arithmetic.
    ///
    /// For every input channel in `channels`, each padded input row the tiles read is split into `outputTile`
    /// column phases (`p`, entry `k` = padded column `outputTile · k + p`, phases `phaseStride`
    /// apart) and the plan's `inputRowPass` writes `d B` of 8 tiles at a time, plane `j`
    /// at `dst + j · step`; rows outside the image give zero planes. Then, 8 tiles at a time and
    /// plane by plane, its `inputColumnPass` combines the rows `r + rows.row(i)` into
    /// `Bᵀ (d B)`, transform row `k` at `out + k · rows.outStride`, all 8 lanes (see `winogradRowLength`).
    @inline(__always)
    func transformInput(
        _ x: UnsafePointer<Float>, tiles: Range<Int>, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, ld: Int
    ) {
        let size = Self.outputTile, side = Self.outputTile + 2
        let (h, w) = (g.inputHeight, g.inputWidth)
        let firstRow = tiles.lowerBound / tilesWide, lastRow = (tiles.upperBound - 1) / tilesWide
        let rowsUsed = lastRow - firstRow + 2   // tile row q reads padded rows size·q … size·q + size + 1
        let pointStride = winogradPointStride(rows: inChannels, ld: ld)   // between transform points of V
        let rows = WinogradRows(outputTile: size, tilesWide: tilesWide, runLength: rowsUsed * tilesWide + 8,
                                outStride: side * pointStride)
        let groups = roundUp8(tilesWide + 1)   // column groups of `size` in one padded input row
        let phaseStride = groups + 8
        let rowT = UnsafeMutablePointer<Float>.allocate(capacity: side * size * rows.runLength)
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: size * phaseStride)
        let phases = UnsafeMutablePointer<Float>.allocate(capacity: size * phaseStride)
        defer { rowT.deallocate(); padded.deallocate(); phases.deallocate() }
        rowT.initialize(repeating: 0, count: side * size * rows.runLength)
        padded.initialize(repeating: 0, count: size * phaseStride)
        phases.initialize(repeating: 0, count: size * phaseStride)
        let copyCount = max(0, min(w, size * tilesWide + 2 - g.padLeft))   // input columns inside the tiles
        let local0 = firstRow * tilesWide
        let step = size * rows.runLength   // between planes j of rowT
        for c in channels {
            let plane = x + c * h * w
            for q in 0..<rowsUsed {
                for phase in 0..<size {
                    let iy = size * (firstRow + q) + phase - g.padTop
                    let dst = rowT + phase * rows.runLength + q * tilesWide
                    guard iy >= 0, iy < h else {
                        for j in 0..<side { (dst + j * step).update(repeating: 0, count: tilesWide) }
                        continue
                    }
                    (padded + g.padLeft).update(from: plane + iy * w, count: copyCount)
                    splitPhases(padded, groups: groups, into: phases, phaseStride: phaseStride)
                    var tx = 0
                    while tx < tilesWide {
                        Self.inputRowPass(phases + tx, phaseStride: phaseStride, into: dst + tx, step: step)
                        tx += 8
                    }
                }
            }
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                let out = v + c * ld + (t - tiles.lowerBound)
                for j in 0..<side {
                    Self.inputColumnPass(rowT + j * step + (t - local0), into: out + j * pointStride, rows: rows)
                }
                t += 8
            }
        }
    }

    /// Padded columns `size · k + p` to `phases + p · phaseStride + k`, for `k < groups`.
    @inline(__always)
    func splitPhases(_ padded: UnsafePointer<Float>, groups: Int, into phases: UnsafeMutablePointer<Float>,
                             phaseStride: Int) {
        var k = 0
        while k < groups {
            if Self.outputTile == 2 {
                let row = UnsafeRawPointer(padded + 2 * k).loadUnaligned(as: SIMD16<Float>.self)
                store8(row.evenHalf, phases + k)
                store8(row.oddHalf, phases + phaseStride + k)
            } else {
                let row = UnsafeRawPointer(padded + 4 * k).loadUnaligned(as: SIMD32<Float>.self)
                let (even, odd) = (row.evenHalf, row.oddHalf)
                store8(even.evenHalf, phases + k)
                store8(odd.evenHalf, phases + phaseStride + k)
                store8(even.oddHalf, phases + 2 * phaseStride + k)
                store8(odd.oddHalf, phases + 3 * phaseStride + k)
            }
            k += 8
        }
    }

    /// The frame of `transformOutput` both plans share: for every output channel in `channels` and 8 tiles at a
    /// time, `combine(src, stride, bias, values)` writes `Aᵀ m A + bias` `[outputTile²][8 tiles]` to
    /// `values` from `M` at `src` (transform points `stride` apart); `storeTiles` adds the residual,
    /// clamps and drops what overhangs the output.
    @inline(__always)
    func transformOutputTiles(
        _ m: UnsafePointer<Float>, ld: Int, tiles: Range<Int>, channels: Range<Int>, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?, clamp: ClampRange, into y: UnsafeMutablePointer<Float>,
        combine: (_ src: UnsafePointer<Float>, _ stride: Int, _ bias: SIMD8<Float>, _ values: UnsafeMutablePointer<Float>) -> Void
    ) {
        let stride = winogradPointStride(rows: outChannels, ld: ld)
        let (ho, wo) = (outHeight, outWidth)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: Self.outputTile * Self.outputTile * 8)
        defer { values.deallocate() }
        for o in channels {
            let plane = y + o * ho * wo
            let res = residual.map { $0 + o * ho * wo }
            let bv = SIMD8<Float>(repeating: bias[o])
            var t = tiles.lowerBound
            while t < tiles.upperBound {
                combine(m + o * ld + (t - tiles.lowerBound), stride, bv, values)
                let count = min(8, tiles.upperBound - t)
                storeTiles(values, first: t, count: count, residual: res, clamp: clamp, into: plane)
                t += count
            }
        }
    }
}
