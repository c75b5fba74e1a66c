import Testing
@testable import Imaging

/// `resizeBilinear` against PIL's `Image.resize(…, Image.BILINEAR)` output, byte for byte.
@Suite struct BilinearResizeTests {
    @Test func portraitCropMatchesReferencePixelsExactly() throws {
        let reference = try Fixtures.referenceTensors()
        let expected = try #require(reference.bytes("portrait_300x450.pixels_u8"), "pixels_u8 missing from inputs.safetensors")
        let ours = Preprocessing.reference.resized(try ReferenceImage.portrait.pixels())
        #expect(ours.width == 224 && ours.height == 224)
        expectSamePixels(ours.pixels, expected, "portrait_300x450 crop vs pixels_u8")
    }

    /// A resize PIL 13 computed (`make_fixtures.py`): source, target size, and which pass PIL runs first.
    struct PILCase: CustomTestStringConvertible, Sendable {
        let source: String, fixture: String, width: Int, height: Int, order: String
        var testDescription: String { "\(source) → \(width)×\(height) (\(order) first)" }
    }

    static let pilCases = [
        PILCase(source: "portrait", fixture: "portrait_to_173x97", width: 173, height: 97, order: "vertical"),
        PILCase(source: "portrait", fixture: "portrait_stretch_224", width: 224, height: 224, order: "vertical"),
        PILCase(source: "portrait", fixture: "portrait_to_120x400", width: 120, height: 400, order: "horizontal"),
        PILCase(source: "rings37x29", fixture: "rings_37x29_at_10_20_to_100x71", width: 100, height: 71, order: "horizontal"),
        PILCase(source: "rings37x29", fixture: "rings_37x29_at_10_20_to_45x11", width: 45, height: 11, order: "vertical"),
    ]

    @Test(arguments: pilCases)
    func matchesPIL(_ pil: PILCase) throws {
        let source: RGBImage
        if pil.source == "portrait" {
            source = try ReferenceImage.portrait.pixels()
        } else {
            // PIL: rings.crop((10, 20, 47, 49)) → 37×29 at left 10, top 20.
            let rings = try ReferenceImage.all[2].pixels()
            source = RGBImage(width: 37, height: 29, pixels: cropRowsAndColumns(rings, rows: 20..<49, columns: 10..<47))
        }
        let expected = try Fixtures.rawImage("resize/\(pil.fixture).rgb", width: pil.width, height: pil.height)
        expectSamePixels(resizeBilinear(source, width: pil.width, height: pil.height).pixels, expected.pixels,
                         pil.testDescription)
    }

    @Test(arguments: [(5, 7, 13, 2), (40, 30, 7, 9), (3, 3, 3, 3), (1, 1, 9, 4), (9, 4, 1, 1)])
    func constantImageStaysConstant(_ size: (Int, Int, Int, Int)) {
        let image = RGBImage(width: size.0, height: size.1, fill: (201, 3, 77))
        let out = resizeBilinear(image, width: size.2, height: size.3)
        #expect(out.width == size.2 && out.height == size.3)
        #expect(out == RGBImage(width: size.2, height: size.3, fill: (201, 3, 77)),
                "\(size.0)×\(size.1) → \(size.2)×\(size.3) changed a constant colour")
    }

    /// Columns (or rows) 0,0,200,200,0,0,200,200,… — 2-pixel stripes, period 4.
    private func stripes(length: Int, vertical: Bool) -> RGBImage {
        var image = RGBImage(width: vertical ? 3 : length, height: vertical ? length : 3)
        for i in 0..<length where (i / 2) % 2 == 1 {
            for j in 0..<3 { if vertical { image[j, i] = (200, 200, 200) } else { image[i, j] = (200, 200, 200) } }
        }
        return image
    }

    /// Hand-computed with PIL's taps. Quartering (scale 4, support 4): an interior output reads 8 inputs
    /// with weights (1,3,5,7,7,5,3,1)/32 = two whole periods → exactly 100; the edge outputs lose the taps
    /// outside the image and renormalise: 600/7 ≈ 85.7 and 800/7 ≈ 114.3.
    /// Halving (scale 2): weights (1,3,3,1)/8 give 150 or 50; the edges 200/7 ≈ 28.6 and 1200/7 ≈ 171.4.
    @Test(arguments: [false, true])
    func downscaledStripesAverage(vertical: Bool) {
        let image = stripes(length: 16, vertical: vertical)
        let line: (RGBImage) -> [UInt8] = { out in
            vertical ? (0..<out.height).map { out[1, $0].g } : (0..<out.width).map { out[$0, 1].g }
        }
        let quarter = resizeBilinear(image, width: vertical ? 3 : 4, height: vertical ? 4 : 3)
        #expect(line(quarter) == [86, 100, 100, 114], "quartered stripes (vertical: \(vertical))")
        let half = resizeBilinear(image, width: vertical ? 3 : 8, height: vertical ? 8 : 3)
        #expect(line(half) == [29, 150, 50, 150, 50, 150, 50, 171], "halved stripes (vertical: \(vertical))")
    }

    @Test(arguments: [(131, 77), (120, 400), (400, 20)])   // vertical first, horizontal first, upscale width
    func windowEqualsCropOfFullResize(_ size: (width: Int, height: Int)) throws {
        let source = try ReferenceImage.portrait.pixels()
        let full = resizeBilinear(source, width: size.width, height: size.height)
        let columns = size.width / 5 ..< size.width * 3 / 4, rows = size.height / 7 ..< size.height * 4 / 5
        let window = resizeBilinear(source, width: size.width, height: size.height, columns: columns, rows: rows)
        #expect(window.pixels == cropRowsAndColumns(full, rows: rows, columns: columns), "window of \(size)")
    }

    @Test func emptyInputGivesGreyInsteadOfCrashing() {
        let out = resizeBilinear(RGBImage(width: 0, height: 0), width: 3, height: 2)
        #expect(out == RGBImage(width: 3, height: 2, fill: (127, 127, 127)))
    }

    private func expectSamePixels(_ ours: [UInt8], _ expected: [UInt8], _ what: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == expected.count, "\(what): \(ours.count) bytes, expected \(expected.count)",
                sourceLocation: sourceLocation)
        let differing = zip(ours, expected).enumerated().filter { $0.element.0 != $0.element.1 }
        let worst = differing.map { abs(Int($0.element.0) - Int($0.element.1)) }.max() ?? 0
        let identical = differing.isEmpty
        #expect(identical, "\(what): \(differing.count) bytes differ (max \(worst) grey levels), first at byte \(differing.first?.offset ?? -1)",
                sourceLocation: sourceLocation)
    }
}
