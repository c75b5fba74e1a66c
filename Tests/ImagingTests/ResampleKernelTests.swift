@testable import Imaging
import Support
import Testing

/// `ResampleKernel.horizontal` (eight rows to an AVX2 vector, in C) against Pillow's horizontal
/// loop written out plainly: output pixel by output pixel, channel by channel, one row at a time.
/// Same bytes for shrinking and enlarging, row counts that are and are not multiples of eight,
/// and windows of the output reading a window of the source.
@Suite struct ResampleKernelTests {
    /// Pillow's `ImagingResampleHorizontal_8bpc` on interleaved RGB, as it reads.
    static func pillowHorizontal(_ source: [UInt8], sourceColumns: Range<Int>, rowCount: Int,
                                 taps: ResampleTaps, columns: Range<Int>) -> [UInt8] {
        var out = [UInt8]()
        for row in 0..<rowCount {
            for x in columns {
                for channel in 0..<3 {
                    var sum = Int32(1 << (ResampleTaps.precisionBits - 1))
                    for t in 0..<taps.count[x] {
                        let column = taps.first[x] + t - sourceColumns.lowerBound
                        let pixel = source[(row * sourceColumns.count + column) * 3 + channel]
                        sum = sum &+ Int32(pixel) &* taps.weights[x * taps.stride + t]
                    }
                    let shifted = sum >> Int32(ResampleTaps.precisionBits)
                    out.append(UInt8(clamping: shifted))
                }
            }
        }
        return out
    }

    static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// (source width, output width, rows): a 600×900 cover's first pass to 224, the JPEG draft's
    /// 300 wide, enlarging, widths under one 16-byte load, and 1–17 rows.
    @Test(arguments: [(600, 224, 900), (300, 224, 224), (37, 100, 29), (224, 600, 9), (7, 3, 1),
                      (17, 16, 15), (1, 5, 3), (5, 1, 17), (6, 2, 8), (1000, 7, 16)])
    func wholeRowsMatchPillowsLoop(_ size: (inWidth: Int, outWidth: Int, rows: Int)) {
        let source = Self.noise(count: size.rows * size.inWidth * 3, seed: UInt64(size.inWidth * 1000 + size.rows))
        let taps = ResampleTaps(inSize: size.inWidth, outSize: size.outWidth)
        let ours = ResampleKernel.horizontal(source, sourceColumns: 0..<size.inWidth, rowCount: size.rows,
                                             taps: taps, columns: 0..<size.outWidth)
        let pillow = Self.pillowHorizontal(source, sourceColumns: 0..<size.inWidth, rowCount: size.rows,
                                           taps: taps, columns: 0..<size.outWidth)
        expectSameBytes(ours, pillow, "\(size)")
    }

    /// A window of outputs reads only its span of the source, which starts at a column other than 0.
    @Test(arguments: [(600, 224, 11, 40..<130), (37, 100, 9, 61..<100), (300, 224, 8, 0..<1)])
    func windowMatchesPillowsLoop(_ size: (inWidth: Int, outWidth: Int, rows: Int, columns: Range<Int>)) {
        let taps = ResampleTaps(inSize: size.inWidth, outSize: size.outWidth)
        let span = taps.inputSpan(of: size.columns)
        #expect(span.lowerBound > 0 || size.columns.lowerBound == 0)
        let source = Self.noise(count: size.rows * span.count * 3, seed: 7)
        let ours = ResampleKernel.horizontal(source, sourceColumns: span, rowCount: size.rows,
                                             taps: taps, columns: size.columns)
        let pillow = Self.pillowHorizontal(source, sourceColumns: span, rowCount: size.rows,
                                           taps: taps, columns: size.columns)
        #expect(ours.count == size.rows * size.columns.count * 3)
        expectSameBytes(ours, pillow, "\(size)")
    }

    /// Extreme bytes: all 255 sums to exactly 255 after the shift (the weights add up to 2^22, the
    /// rounding half stays below the next unit), all 0 to 0 — the clamps at both ends.
    @Test func saturatedRowsStaySaturated() {
        let taps = ResampleTaps(inSize: 600, outSize: 224)
        for value: UInt8 in [0, 255] {
            let source = [UInt8](repeating: value, count: 13 * 600 * 3)
            let ours = ResampleKernel.horizontal(source, sourceColumns: 0..<600, rowCount: 13, taps: taps, columns: 0..<224)
            expectSameBytes(ours, [UInt8](repeating: value, count: 13 * 224 * 3), "all \(value)")
        }
    }

    /// Counts the differing bytes instead of handing the arrays to `#expect`, whose failure message
    /// would diff a million elements.
    private func expectSameBytes(_ ours: [UInt8], _ expected: [UInt8], _ what: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let differing = zip(ours, expected).filter { $0 != $1 }.count
        #expect(ours.count == expected.count && differing == 0,
                "\(what): \(differing) of \(expected.count) bytes differ (\(ours.count) made)", sourceLocation: sourceLocation)
    }
}
