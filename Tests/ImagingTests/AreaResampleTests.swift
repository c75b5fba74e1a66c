@testable import Imaging
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
}
