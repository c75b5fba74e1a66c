import Imaging
import Testing

/// The four PNGs the PyTorch references were computed from decode to exactly PIL's pixels
/// (`Tests/Fixtures/reference/pixels/*.rgb`), at their stated sizes.
@Suite struct ReferenceImageTests {
    @Test(arguments: ReferenceImage.all)
    func decodesToPILsPixels(_ reference: ReferenceImage) throws {
        let url = Fixtures.reference.appendingPathComponent("images/\(reference.name).png")
        let decoded = try ImageDecoder.decode(contentsOf: url)
        #expect(decoded.width == reference.width && decoded.height == reference.height,
                "\(reference.name): \(decoded.width)×\(decoded.height)")
        #expect(decoded.info.format == .png && decoded.info.bitDepth == 8, "\(reference.name): \(decoded.info)")
        #expect(decoded.image == (try reference.pixels()), "\(reference.name): pixels differ from PIL's")
    }
}
