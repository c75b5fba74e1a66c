@testable import Imaging
import Testing

/// The format comes from the bytes, not the file name.
@Suite struct FormatSniffingTests {
    @Test func pngNamedJpgDecodesAsPNG() throws {
        let decoded = try DecoderFixtures.decode("png-named-as.jpg").get()
        #expect(decoded.info.format == .png)
    }

    @Test func magicNumbers() {
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .supported(.jpeg))
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .supported(.png))
        #expect(ImageFormat.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .supported(.webp))
        #expect(ImageFormat.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == .unknown, "a WAV is not WebP")
        #expect(ImageFormat.sniff(Array("\u{0}\u{0}\u{0}\u{18}ftypheic".utf8)) == .supported(.heif))
        #expect(ImageFormat.sniff(Array("II*\u{0}\u{8}\u{0}\u{0}\u{0}".utf8)) == .supported(.tiff))
        #expect(ImageFormat.sniff(Array("%PDF-1.7".utf8)) == .supported(.pdf))
        #expect(ImageFormat.sniff([0xFF, 0xD8]) == .unknown, "two bytes are not a JPEG")
    }

    @Test func startIsShownAsHexAndText() {
        #expect(ImageFormat.describeStart(Array("<html>\n".utf8)) == "3C 68 74 6D 6C 3E 0A (\"<html>.\")")
    }
}
