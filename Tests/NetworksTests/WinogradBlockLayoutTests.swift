import Testing
@testable import Tensors

/// A Winograd block's `V`, `M` and `dM` are laid out for the transforms' stores (see
/// `winogradRowLength` and `winogradPointStride`): these are the properties the transforms and the
/// speed rely on, checked for every block size ResNet18 and EfficientNet-Lite0 can produce.
@Suite struct WinogradBlockLayoutTests {
    /// A range's last vector of eight tiles may write seven columns past it: every row has room.
    @Test func rowsHaveRoomForAWholeLastVector() {
        for tiles in 1...4096 {
            let ld = winogradRowLength(tiles: tiles)
            #expect(ld >= tiles + 7 && ld % 8 == 0, "\(tiles) tiles: rows of \(ld)")
        }
    }

    /// The same row of consecutive transform points lands one cache line further in the 4 KB of
    /// L1 set indices (64 sets of 64 bytes on the CPUs measured), so the 16 or 36 rows a transform
    /// touches at once use 16 or 36 different sets; and the points never overlap.
    @Test func transformPointsUseConsecutiveCacheSets() {
        for rows in [3, 16, 24, 32, 64, 96, 128, 172, 256, 512] {
            for tiles in [1, 4, 16, 49, 128, 224, 256, 1000] {
                let ld = winogradRowLength(tiles: tiles)
                let stride = winogradPointStride(rows: rows, ld: ld)
                #expect(stride >= rows * ld, "\(rows) rows of \(ld): points \(stride) apart overlap")
                let sets = Set((0..<36).map { point in (point * stride * MemoryLayout<Float>.size) % 4096 / 64 })
                #expect(sets.count == 36, "\(rows) rows of \(ld): 36 points fall into \(sets.count) sets")
            }
        }
    }
}
