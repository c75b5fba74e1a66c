import Testing
@testable import Tensors
@testable import Networks

/// The weight gradient's output-gradient transform, `dM = A dY Aᵀ` per tile, runs row by row over
/// column phases (`WinogradTiling.transformOutputGradient`). Against the tile-by-tile definition it
/// replaced (gather the tile, zero beyond the output, expand its rows and then its columns with the
/// plan's `expandOutputGradient`): the same operations per tile, so the same bits.
@Suite struct WinogradOutputGradientTransformTests {
    /// Odd and even outputs (tiles overhanging both edges), ResNet18's layer4 shape (7×7 by F(4×4)),
    /// tile ranges that start and end inside a tile row or hold a single tile, a subset of the
    /// channels, and a leading dimension wider than the range (as in a block spanning images).
    @Test(arguments: [2, 4])
    func matchesTheTileByTileDefinitionBitForBit(_ outputTile: Int) {
        var values = SeededValues(seed: 41)
        for (height, width) in [(7, 7), (13, 10), (9, 12), (28, 28), (1, 9), (5, 1)] {
            let g = Padding.symmetric(1).geometry(height: height, width: width, kernel: 3, stride: 1)
            let cout = 11
            let dy = values.tensor([cout, g.outputHeight, g.outputWidth])
            if outputTile == 4 {
                check(WinogradF4Plan(g, inChannels: 3, outChannels: cout), dy: dy, size: "\(height)×\(width)")
            } else {
                check(WinogradPlan(g, inChannels: 3, outChannels: cout), dy: dy, size: "\(height)×\(width)")
            }
        }
    }

    private func check<Plan: WinogradTiling>(_ plan: Plan, dy: Tensor, size: String) {
        let all = 0..<plan.tiles
        var ranges = [all, all.lowerBound..<(all.lowerBound + 1), (all.upperBound - 1)..<all.upperBound]
        if plan.tiles > 3 { ranges.append(1..<(plan.tiles - 1)) }
        if plan.tiles > 10 { ranges.append(plan.tilesWide / 2..<(plan.tiles - plan.tilesWide / 2 - 1)) }
        let channels = 2..<9
        for tiles in ranges {
            // Whole vectors may write seven columns past the range (`winogradRowLength`), no further.
            let ld = winogradRowLength(tiles: tiles.count) + 5
            let pointStride = winogradPointStride(rows: plan.outChannels, ld: ld)
            let count = Plan.positions * pointStride
            var actual = [Float](repeating: .nan, count: count), expected = actual
            dy.storage.withUnsafeBufferPointer { d in
                actual.withUnsafeMutableBufferPointer { a in
                    plan.transformOutputGradient(d.baseAddress!, tiles: tiles, channels: channels, into: a.baseAddress!, ld: ld)
                }
                expected.withUnsafeMutableBufferPointer { e in
                    Self.definition(plan, d.baseAddress!, tiles: tiles, channels: channels, into: e.baseAddress!, ld: ld)
                }
            }
            let slack = tiles.count..<(tiles.count + 7)
            let compared = (0..<count).filter { !slack.contains($0 % pointStride % ld) }
            let differing = compared.filter { actual[$0].bitPattern != expected[$0].bitPattern }.count
            #expect(differing == 0,
                    "F(\(Plan.outputTile)) \(size), tiles \(tiles): \(differing) of \(compared.count) values differ from the definition")
        }
    }

    /// One tile at a time: gather its `outputTile²` values (zero beyond the output) into lane 0,
    /// expand each row along its columns, then each column along the rows.
    private static func definition<Plan: WinogradTiling>(_ plan: Plan, _ dy: UnsafePointer<Float>, tiles: Range<Int>,
                                                          channels: Range<Int>, into dm: UnsafeMutablePointer<Float>, ld: Int) {
        let size = Plan.outputTile, side = Plan.outputTile + 2
        let (ho, wo) = (plan.outHeight, plan.outWidth)
        // Eight lanes per value, as the plans' vectors hold eight tiles; only lane 0 is this tile.
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: size * size * 8)
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: size * side * 8)
        let expanded = UnsafeMutablePointer<Float>.allocate(capacity: side * side * 8)
        defer { tile.deallocate(); rows.deallocate(); expanded.deallocate() }
        for o in channels {
            for t in tiles {
                let (ty, tx) = (t / plan.tilesWide, t % plan.tilesWide)
                tile.initialize(repeating: 0, count: size * size * 8)
                for a in 0..<size {
                    for b in 0..<size {
                        let (y, x) = (size * ty + a, size * tx + b)
                        if y < ho && x < wo { tile[(a * size + b) * 8] = dy[(o * ho + y) * wo + x] }
                    }
                }
                for a in 0..<size {
                    Plan.expandOutputGradient(tile + a * size * 8, stride: 8, into: rows + a * side * 8, outStride: 8)
                }
                for j in 0..<side {
                    Plan.expandOutputGradient(rows + j * 8, stride: side * 8, into: expanded + j * 8, outStride: side * 8)
                }
                for xi in 0..<(side * side) {
                    dm[xi * winogradPointStride(rows: plan.outChannels, ld: ld) + o * ld + (t - tiles.lowerBound)] = expanded[xi * 8]
                }
            }
        }
    }
}
