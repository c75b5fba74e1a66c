@testable import Imaging
import Support
import Testing

/// `resampleArea`: the mean of the source area under each output pixel, at fractional positions.
@Suite struct AreaResampleTests {
    /// A 5×3 picture with distinct values.
    let small = RGBImage(width: 5, height: 3, pixels: (0 ..< 45).map { UInt8($0 * 5) })

    /// `image` with every pixel repeated `factor` times each way, after `pad` columns and rows of black.
    private func enlarged(_ image: RGBImage, by factor: Int, pad: Int) -> RGBImage {
        let width = image.width * factor + pad, height = image.height * factor + pad
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in pad ..< height {
            for x in pad ..< width {
                let source = ((y - pad) / factor * image.width + (x - pad) / factor) * 3
                pixels[(y * width + x) * 3 ..< (y * width + x) * 3 + 3] = image.pixels[source ..< source + 3]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func averagingAnExactEnlargementGivesTheOriginalBack() {
        let big = enlarged(small, by: 4, pad: 3)
        let back = resampleArea(big, x0: 3, y0: 3, x1: 23, y1: 15, width: 5, height: 3)
        #expect(back == small)
    }

    @Test func partlyCoveredPixelsCountByTheirCoverage() {
        // One row: 0 and 200. Half of the first pixel and all of the second → (0·0.5 + 200·1) / 1.5.
        let row = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 200, 200, 200])
        let out = resampleArea(row, x0: 0.5, y0: 0, x1: 2, y1: 1, width: 1, height: 1)
        #expect(out.pixels == [133, 133, 133])
    }

    @Test func anEmptyBoxGivesGreyOfTheRequestedSize() {
        let out = resampleArea(small, x0: 2, y0: 0, x1: 2, y1: 3, width: 2, height: 2)
        #expect(out.width == 2 && out.height == 2 && out.pixels.allSatisfy { $0 == 127 })
    }

    /// Coverage weights per output pixel along one axis, written out plainly.
    static func plainTaps(_ start: Double, _ end: Double, _ outSize: Int, _ inSize: Int) -> [(first: Int, weights: [Float])] {
        let step = (end - start) / Double(outSize)
        return (0 ..< outSize).map { i in
            let low = start + Double(i) * step, high = low + step
            let firstIndex = max(0, min(inSize - 1, Int(low.rounded(.down))))
            let lastIndex = max(firstIndex, min(inSize - 1, Int(high.rounded(.up)) - 1))
            let row = (firstIndex ... lastIndex).map { j in max(0, min(high, Double(j + 1)) - max(low, Double(j))) }
            let total = row.reduce(0, +)
            return (firstIndex, (total > 0 ? row.map { $0 / total } : row.map { _ in 1 / Double(row.count) }).map(Float.init))
        }
    }

    /// The horizontal pass alone, plainly: `[height, width, 3]` floats, each sum from 0 in order of the taps.
    static func plainHorizontal(_ image: RGBImage, x0: Double, x1: Double, width: Int) -> [Float] {
        let columns = plainTaps(x0, x1, width, image.width)
        var out = [Float]()
        for y in 0 ..< image.height {
            for x in 0 ..< width {
                for c in 0 ..< 3 {
                    var across: Float = 0
                    for (j, weight) in columns[x].weights.enumerated() {
                        across += weight * Float(image.pixels[(y * image.width + columns[x].first + j) * 3 + c])
                    }
                    out.append(across)
                }
            }
        }
        return out
    }

    /// The averaging written out plainly: coverage weights per output pixel, a horizontal pass
    /// channel by channel into floats, then a vertical one rounded to bytes — what `resampleArea`'s
    /// vector passes must equal byte for byte (each sum takes its products in the same order).
    static func plainAreaAverage(_ image: RGBImage, x0: Double, y0: Double, x1: Double, y1: Double,
                                 width: Int, height: Int) -> [UInt8] {
        let columns = plainTaps(x0, x1, width, image.width), rows = plainTaps(y0, y1, height, image.height)
        var out = [UInt8]()
        for y in 0 ..< height {
            for x in 0 ..< width {
                for c in 0 ..< 3 {
                    var sum: Float = 0
                    for (k, rowWeight) in rows[y].weights.enumerated() {
                        var across: Float = 0
                        for (j, weight) in columns[x].weights.enumerated() {
                            across += weight * Float(image.pixels[((rows[y].first + k) * image.width + columns[x].first + j) * 3 + c])
                        }
                        sum += rowWeight * across
                    }
                    out.append(UInt8(max(0, min(255, sum.rounded()))))
                }
            }
        }
        return out
    }

    /// Random images, whole and fractional boxes, shrinking and enlarging, grids whose row groups
    /// of four do and do not reach the image's last row.
    @Test(arguments: [(600, 900, 0.0, 0.0, 600.0, 900.0, 24, 36), (600, 900, 15.0, 22.5, 585.0, 877.5, 24, 36),
                      (600, 900, 0.0, 0.0, 600.0, 900.0, 120, 180), (37, 29, 0.3, 1.7, 36.2, 28.9, 11, 7),
                      (5, 3, 0.0, 0.0, 5.0, 3.0, 9, 7), (9, 9, 8.5, 8.5, 9.0, 9.0, 1, 1), (13, 6, 0.0, 0.0, 13.0, 6.0, 1, 1)])
    func vectorPassesEqualThePlainAverage(_ box: (Int, Int, Double, Double, Double, Double, Int, Int)) {
        var generator = SeededGenerator(seed: UInt64(box.0 * 31 + box.6))
        let image = RGBImage(width: box.0, height: box.1,
                             pixels: (0 ..< box.0 * box.1 * 3).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let ours = resampleArea(image, x0: box.2, y0: box.3, x1: box.4, y1: box.5, width: box.6, height: box.7)
        let plain = Self.plainAreaAverage(image, x0: box.2, y0: box.3, x1: box.4, y1: box.5, width: box.6, height: box.7)
        let differing = zip(ours.pixels, plain).filter { $0 != $1 }.count
        #expect(ours.pixels.count == plain.count && differing == 0, "\(box): \(differing) bytes differ")
    }
    /// The horizontal pass float for float against Swift's loop with the same order of products,
    /// over row counts that do and do not fill the kernel's groups of eight rows: a fused
    /// multiply-add or another order would change low bits that the bytes hide.
    @Test(arguments: [(600, 37, 0.0, 600.0, 24), (600, 8, 15.0, 585.0, 120), (37, 3, 0.3, 36.2, 11), (5, 1, 0.0, 5.0, 9)])
    func horizontalPassEqualsThePlainSums(_ shape: (Int, Int, Double, Double, Int)) {
        let (width, height, x0, x1, outWidth) = shape
        var generator = SeededGenerator(seed: UInt64(width * 7 + height))
        let pixels = (0 ..< width * height * 3).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let taps = AreaTaps(from: x0, to: x1, outSize: outWidth, inSize: width)
        var ours = [Float](repeating: .nan, count: height * outWidth * 3)
        pixels.withUnsafeBufferPointer { source in
            ours.withUnsafeMutableBufferPointer { taps.horizontalPass(source, imageWidth: width, rows: 0 ..< height, into: $0) }
        }
        let plain = Self.plainHorizontal(RGBImage(width: width, height: height, pixels: pixels), x0: x0, x1: x1, width: outWidth)
        let differing = zip(ours, plain).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(ours.count == plain.count && differing == 0, "\(shape): \(differing) of \(plain.count) floats differ")
    }
}
