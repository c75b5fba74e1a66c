@testable import Imaging
import Testing

/// The formulas that turn grey, CMYK and alpha into RGB.
@Suite struct PixelConversionTests {
    @Test func alphaIsCompositedOverWhiteWithRounding() {
        // (c·a + 255·(255−a) + 127) / 255: opaque keeps c, transparent is white, half is the midpoint.
        let rgba: [UInt8] = [10, 200, 0, 255, 10, 200, 0, 0, 0, 100, 255, 128, 51, 0, 0, 1]
        #expect(PixelConversion.rgb(fromRGBA: rgba) == [10, 200, 0, 255, 255, 255, 127, 177, 255, 254, 254, 254])
    }

    @Test func greyIsRepeated() {
        #expect(PixelConversion.rgb(fromGrey: [0, 77, 255]) == [0, 0, 0, 77, 77, 77, 255, 255, 255])
    }

    @Test func storedCMYKFollowsPIL() {
        // Stored values are inverted: 255 = no ink. No ink at all is white, full black is black,
        // and stored (c, k) = (128, 128) gives 128 − round(127·128/255) = 64 (≈ 128·128/255).
        let stored: [UInt8] = [255, 255, 255, 255, 255, 255, 255, 0, 128, 255, 0, 128]
        #expect(PixelConversion.rgb(fromStoredCMYK: stored) == [255, 255, 255, 0, 0, 0, 64, 128, 0])
    }

    @Test func mulDiv255RoundsLikeDivision() {
        for a in stride(from: 0, through: 255, by: 15) {
            for b in stride(from: 0, through: 255, by: 17) {
                let exact = (Double(a * b) / 255).rounded()
                #expect(PixelConversion.mulDiv255(a, b) == Int(exact), "\(a)·\(b)/255")
            }
        }
    }
}
