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

    /// JPEG without EOI: libjpeg inserts the marker itself and every pixel is there, so it is used
    /// with a warning (as libjpeg and PIL with `LOAD_TRUNCATED_IMAGES` do), baseline or progressive.
    @Test(arguments: ["jpeg-baseline.jpg", "jpeg-cover-progressive.jpg"])
    func jpegWithoutEOIDecodesWithAWarning(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        let whole = try DecoderFixtures.decode(name).get()
        let cut = try ImageDecoder.decode(bytes: Array(bytes.dropLast(2)), name: "cut.jpg")
        #expect(cut.image == whole.image, "pixels changed")
        #expect(cut.info.warnings.first?.contains("end marker is missing") == true, "\(cut.info.warnings)")
    }
}
