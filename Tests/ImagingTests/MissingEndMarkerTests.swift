import Foundation
import Imaging
import Testing

/// Files cut just after their last pixel data, only the end marker missing — treated as PIL does.
@Suite struct MissingEndMarkerTests {
    /// PNG without IEND: the whole image is there; it decodes to the same pixels, with a warning.
    @Test func pngWithoutIENDDecodesWithAWarning() throws {
        let bytes = [UInt8](try Data(contentsOf: DecoderFixtures.image("png-rgb8.png")))
        let whole = try DecoderFixtures.decode("png-rgb8.png").get()
        let cut = try ImageDecoder.decode(bytes: Array(bytes.dropLast(12)), name: "cut.png")
        #expect(cut.image == whole.image, "pixels changed")
        #expect(cut.info.warnings.contains { $0.contains("after the image data") }, "\(cut.info.warnings)")
    }

    /// JPEG without EOI: libjpeg reads ahead into the missing bytes, so, like PIL ("image file is
    /// truncated"), it counts as truncated.
    @Test func jpegWithoutEOIIsTruncated() throws {
        let bytes = [UInt8](try Data(contentsOf: DecoderFixtures.image("jpeg-baseline.jpg")))
        let result = Result { () throws(DecodeError) in try ImageDecoder.decode(bytes: Array(bytes.dropLast(2)), name: "cut.jpg") }
        #expect(throws: DecodeError.truncated(path: "cut.jpg")) { try result.get() }
    }
}
