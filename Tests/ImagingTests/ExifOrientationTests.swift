@testable import Imaging
import Testing

/// EXIF orientation: parsing both byte orders and turning every orientation upright.
@Suite struct ExifOrientationTests {
    /// The stored fixture for orientation o was made so that correcting it gives the 16×12 pattern;
    /// check the upright quadrants directly (JPEG, both byte orders: even = "MM", odd = "II").
    @Test(arguments: 1 ... 8)
    func jpegOrientationIsApplied(_ orientation: Int) throws {
        let name = "jpeg-orientation-\(orientation).jpg"
        let decoded = try DecoderFixtures.decode(name).get()
        #expect(decoded.info.orientation.rawValue == orientation, "\(name): parsed orientation")
        #expect(decoded.width == 16 && decoded.height == 12, "\(name): upright size \(decoded.width)×\(decoded.height)")
        let swapped = orientation >= 5
        #expect(decoded.info.storedWidth == (swapped ? 12 : 16), "\(name): stored width")
        expectUprightQuadrants(decoded.image, name)
    }

    @Test(arguments: ["png-exif-orientation-6.png", "webp-exif-orientation-8.webp"])
    func pngAndWebPOrientationIsApplied(_ name: String) throws {
        let decoded = try DecoderFixtures.decode(name).get()
        #expect(decoded.info.orientationApplied, "\(name): orientation not applied")
        expectUprightQuadrants(decoded.image, name)
    }

    @Test func orientationCanBeLeftAsStored() throws {
        let limits = DecodeLimits(appliesOrientation: false)
        let decoded = try DecoderFixtures.decode("jpeg-orientation-6.jpg", limits: limits).get()
        #expect(decoded.info.orientation == .right && !decoded.info.orientationApplied)
        #expect(decoded.width == 12 && decoded.height == 16, "stored size expected, got \(decoded.width)×\(decoded.height)")
    }

    /// A 3×2 image with distinct pixels 0…5; expected layouts worked out by hand.
    @Test func applyingMovesPixelsAsPILDoes() {
        let stored = RGBImage(width: 3, height: 2, pixels: (0 ..< 6).flatMap { [UInt8($0), 0, 0] })
        func layout(_ o: ExifOrientation) -> [UInt8] {
            let image = stored.applying(o)
            return stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }
        }
        // stored: 0 1 2 / 3 4 5
        #expect(layout(.up) == [0, 1, 2, 3, 4, 5])
        #expect(layout(.upMirrored) == [2, 1, 0, 5, 4, 3])
        #expect(layout(.down) == [5, 4, 3, 2, 1, 0])
        #expect(layout(.downMirrored) == [3, 4, 5, 0, 1, 2])
        #expect(layout(.leftMirrored) == [0, 3, 1, 4, 2, 5])    // transpose, 2 wide
        #expect(layout(.right) == [3, 0, 4, 1, 5, 2])           // rotate 90° clockwise
        #expect(layout(.rightMirrored) == [5, 2, 4, 1, 3, 0])   // transverse
        #expect(layout(.left) == [2, 5, 1, 4, 0, 3])            // rotate 90° anticlockwise
        #expect(stored.applying(.right).width == 2 && stored.applying(.right).height == 3)
    }

    @Test func parsesBothByteOrders() {
        let little: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        let big: [UInt8] = [0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0]
        #expect(ExifOrientation.parse(tiff: little) == .right)
        #expect(ExifOrientation.parse(tiff: big) == .down)
        #expect(ExifOrientation.parse(tiff: Array("Exif".utf8) + [0, 0] + little) == .right, "Exif prefix")
    }

    @Test func damagedExifIsIgnored() {
        var outOfRange: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 9, 0, 0, 0]
        #expect(ExifOrientation.parse(tiff: outOfRange) == nil, "value 9")
        outOfRange[4] = 200   // IFD offset past the end
        #expect(ExifOrientation.parse(tiff: outOfRange) == nil, "IFD past the end")
        #expect(ExifOrientation.parse(tiff: [0x49, 0x49, 0x2A]) == nil, "short header")
        let hugeCount: [UInt8] = [0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0xFF, 0xFF]
        #expect(ExifOrientation.parse(tiff: hugeCount) == nil, "entry count past the end")
    }

    private func expectUprightQuadrants(_ image: RGBImage, _ name: String) {
        let mismatches = DecoderFixtures.quadrantMismatches(image)
        #expect(mismatches.isEmpty, "\(name): not the upright pattern: \(mismatches)")
    }
}
