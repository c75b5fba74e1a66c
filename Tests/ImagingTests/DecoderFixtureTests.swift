import Imaging
import Testing

/// Every fixture variant (JPEG baseline/progressive/grey/CMYK/YCCK, PNG 1–16 bit, palette, alpha,
/// interlaced, WebP lossy/lossless/alpha/animated, EXIF orientations) against PIL's decode.
@Suite struct DecoderFixtureTests {
    @Test func fixtureTableIsPresent() {
        #expect(DecoderFixtures.expected.count >= 30, "Tests/Fixtures/images/expected.json missing or incomplete")
    }

    @Test(arguments: DecoderFixtures.expected)
    func pixelsMatchPIL(_ fixture: ExpectedDecode) throws {
        let decoded = try DecoderFixtures.decode(fixture.name).get()
        let entry = fixture.entry
        #expect(decoded.width == entry.width && decoded.height == entry.height,
                "\(fixture.name): size \(decoded.width)×\(decoded.height), PIL \(entry.width)×\(entry.height)")
        let expected = fixture.pixels
        try #require(decoded.image.pixels.count == expected.count, "\(fixture.name): pixel count")
        let diffs = zip(decoded.image.pixels, expected).map { abs(Int($0) - Int($1)) }
        let worst = diffs.max() ?? 0
        let first = diffs.firstIndex { $0 > entry.tolerance }.map { i in
            " first at pixel \(i / 3) (x \(i / 3 % entry.width), y \(i / 3 / entry.width)) channel \(i % 3): "
                + "ours \(decoded.image.pixels[i]), PIL \(expected[i])"
        } ?? ""
        #expect(worst <= entry.tolerance, "\(fixture.name): max difference \(worst) > \(entry.tolerance);\(first)")
    }

    @Test(arguments: DecoderFixtures.expected)
    func infoMatchesTheFile(_ fixture: ExpectedDecode) throws {
        let info = try DecoderFixtures.decode(fixture.name).get().info
        let entry = fixture.entry
        if let format = entry.format { #expect(info.format.rawValue == format, "\(fixture.name): format") }
        if let model = entry.colourModel {
            #expect(info.colourModel.rawValue == model, "\(fixture.name): colour model \(info.colourModel)")
        }
        if let depth = entry.bitDepth { #expect(info.bitDepth == depth, "\(fixture.name): bit depth \(info.bitDepth)") }
        if let variant = entry.variant { #expect(info.variant == variant, "\(fixture.name): variant \(info.variant)") }
        #expect(info.orientation.rawValue == (entry.orientation ?? 1), "\(fixture.name): orientation \(info.orientation)")
        #expect(info.orientationApplied == ((entry.orientation ?? 1) != 1), "\(fixture.name): orientation applied")
        if let w = entry.storedWidth, let h = entry.storedHeight {
            #expect(info.storedWidth == w && info.storedHeight == h,
                    "\(fixture.name): stored size \(info.storedWidth)×\(info.storedHeight)")
        }
        #expect(info.isAnimated == (entry.animated ?? false), "\(fixture.name): animated")
        #expect(info.frameCount == (entry.frameCount ?? 1), "\(fixture.name): frame count")
        #expect(info.warnings.isEmpty, "\(fixture.name): unexpected warnings \(info.warnings)")
    }

    /// Independent of PIL: the quadrant centres of the upright pattern are the colours the generator
    /// painted (JPEG and lossy WebP move them a few levels).
    @Test(arguments: ["png-rgb8.png", "png-rgb16.png", "png-interlaced.png", "jpeg-baseline.jpg",
                      "jpeg-progressive.jpg", "jpeg-420.jpg", "webp-lossless.webp", "webp-lossy.webp",
                      "webp-animated.webp", "png-named-as.jpg"])
    func quadrantColoursAreThePaintedOnes(_ name: String) throws {
        let image = try DecoderFixtures.decode(name).get().image
        let mismatches = DecoderFixtures.quadrantMismatches(image)
        #expect(mismatches.isEmpty, "\(name): \(mismatches)")
    }
}
