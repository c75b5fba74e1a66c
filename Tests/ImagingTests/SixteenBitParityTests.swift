import Foundation
import Testing
@testable import Imaging

/// `--colour-management off` gives Pillow's pixels for 16-bit files (issue 21): the fixtures in
/// `Tests/Fixtures/sixteen-bit/` were written by scripts/fixtures/make_sixteen_bit.py, which also
/// saved what Pillow's `Image.open(path).convert("RGB")` gives for each (`NAME.pil.rgb`; alpha
/// composited over white, CoverLens's one deliberate difference). Grey without alpha is the kind
/// that matters: Pillow clips it at 255 where every other kind keeps the high byte. Premultiplied
/// alpha is the other: Pillow divides it out on opening, rounding down, at 8 bits as at 16.
@Suite struct SixteenBitParityTests {
    static let folder = Fixtures.root.appendingPathComponent("sixteen-bit")
    static let width = 24, height = 8

    /// Every fixture the script writes (its README lists the same).
    static let files = [
        "png-grey16.png", "png-grey16-trns.png", "png-grey-alpha16.png", "png-rgb16.png", "png-rgb16-trns.png",
        "png-rgba16.png", "tiff-grey16.tif", "tiff-grey16-big-endian.tif", "tiff-grey16-white-is-zero.tif",
        "tiff-grey16-lzw.tif", "tiff-rgb16.tif", "tiff-rgb16-big-endian.tif", "tiff-rgb16-lzw.tif", "tiff-rgba16.tif",
        "tiff-rgba16-premultiplied.tif", "tiff-rgba8-premultiplied.tif", "tiff-cmyk16.tif",
    ]
    /// The grey kinds Pillow opens as mode I;16 and clips.
    static let clippedGrey = files.filter { $0.contains("grey16") }

    static func decode(_ name: String, colourManagement: Bool) throws -> DecodedImage {
        try ImageDecoder.decode(contentsOf: folder.appendingPathComponent(name), limits: DecodeLimits(colourManagement: colourManagement))
    }

    static func pillow(_ name: String) throws -> RGBImage {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name + ".pil.rgb")))
        try #require(bytes.count == width * height * 3, "\(name).pil.rgb holds \(bytes.count) bytes")
        return RGBImage(width: width, height: height, pixels: bytes)
    }

    /// "3 of 192 pixels differ, first at (4, 1): 255 255 255, Pillow 17 17 17", or nil when equal.
    static func difference(_ image: RGBImage, _ expected: RGBImage) -> String? {
        guard image.width == expected.width, image.height == expected.height else {
            return "size \(image.width)×\(image.height), Pillow \(expected.width)×\(expected.height)"
        }
        let differing = (0 ..< image.width * image.height).filter { image.pixels[3 * $0 ..< 3 * $0 + 3] != expected.pixels[3 * $0 ..< 3 * $0 + 3] }
        guard let first = differing.first else { return nil }
        let ours = image.pixels[3 * first ..< 3 * first + 3].map(String.init).joined(separator: " ")
        let theirs = expected.pixels[3 * first ..< 3 * first + 3].map(String.init).joined(separator: " ")
        return "\(differing.count) of \(image.width * image.height) pixels differ, first at (\(first % image.width), \(first / image.width)): \(ours), Pillow \(theirs)"
    }

    @Test func readmeListsEveryFixture() throws {
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for name in Self.files { #expect(readme.contains("`\(name)`"), "README.md does not list \(name)") }
    }

    @Test(arguments: files)
    func offGivesPillowsPixelsExactly(_ name: String) throws {
        let decoded = try Self.decode(name, colourManagement: false)
        #expect(decoded.info.bitDepth == (name.contains("rgba8") ? 8 : 16), "\(name)")
        #expect(!decoded.info.colourManaged, "\(name)")
        let difference = Self.difference(decoded.image, try Self.pillow(name))
        #expect(difference == nil, "\(name): \(difference ?? "")")
    }

    /// Colour management on keeps the better reduction for grey (the high byte for PNG, rounding
    /// for TIFF), so the dark half of these fixtures is not Pillow's; this also shows the fixtures
    /// would catch a decoder that took the high byte under `off`.
    @Test(arguments: clippedGrey)
    func onDoesNotClipGrey(_ name: String) throws {
        let on = try Self.decode(name, colourManagement: true), off = try Self.decode(name, colourManagement: false)
        #expect(Self.difference(on.image, try Self.pillow(name)) != nil, "\(name): on should not clip")
        // Even rows hold 0...253: clipped they keep their value, reduced to 8 bits they become 0 or
        // 1 (255 or 254 for WhiteIsZero, which colour management does not ignore).
        let row0 = (0 ..< Self.width).map { on.image.pixels[3 * $0] }
        let inverted = name.contains("white-is-zero")
        #expect(row0.allSatisfy { inverted ? $0 >= 254 : $0 <= 1 }, "\(name): on, row 0 \(row0)")
        #expect((0 ..< Self.width).contains { off.image.pixels[3 * $0] > 100 }, "\(name): off, row 0 should keep 0...253")
    }
}
