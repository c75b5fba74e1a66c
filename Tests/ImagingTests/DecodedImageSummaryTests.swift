import Imaging
import Testing

/// The one-line description `coverlens inspect` prints.
@Suite struct DecodedImageSummaryTests {
    @Test(arguments: [
        ("jpeg-orientation-6.jpg",
         "jpeg baseline, ycbcr 8-bit, 12×16, orientation 6 (rotate 90° clockwise) → upright 16×12"),
        ("jpeg-ycck.jpg", "jpeg baseline, ycck 8-bit, 16×12, orientation 1, no colour profile (CMYK converted as PIL does)"),
        ("png-palette-trns.png",
         "png non-interlaced, palette+alpha 2-bit, 16×12, orientation 1, alpha composited over white"),
        ("webp-animated.webp", "webp lossless, rgb 8-bit, 16×12, orientation 1, animated, 3 frames (first decoded)"),
    ])
    func summaryLine(_ name: String, _ expected: String) throws {
        let decoded = try DecoderFixtures.decode(name).get()
        #expect(decoded.summary == expected, "\(name)")
    }

    @Test func unappliedOrientationIsSaid() throws {
        let decoded = try DecoderFixtures.decode("jpeg-orientation-8.jpg", limits: DecodeLimits(appliesOrientation: false)).get()
        #expect(decoded.summary.hasSuffix("orientation 8 (rotate 90° anticlockwise), not applied"), "\(decoded.summary)")
    }
}
