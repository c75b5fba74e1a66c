import Foundation
@testable import Imaging
import Testing

/// Inputs that trapped the PDF output reader (Tests/Fixtures/fuzz/pdf/README.md lists them),
/// replayed through the fuzz target's exact call (Fuzz/Sources/FuzzPDFOutput): `pdfinfo -box`'s
/// text, a NUL byte, the PPM. Each must decode to a consistent image or fail with a
/// `DecodeError` naming the input.
@Suite struct PDFFuzzRegressionTests {
    static let folder = Fixtures.root.appendingPathComponent("fuzz/pdf")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func readmeListsEveryInput() throws {
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!Self.inputs.isEmpty)
        for input in Self.inputs { #expect(readme.contains(input), "README.md does not list \(input)") }
    }

    @Test(arguments: inputs)
    func decodesOrFailsCleanly(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let pdfinfo = String(decoding: bytes[..<split], as: UTF8.self)
        let ppm = split < bytes.count ? Array(bytes[(split + 1)...]) : []
        do throws(DecodeError) {
            let decoded = try ImageDecoder.decodePDF(pdfinfo: pdfinfo, pdftoppm: ppm, name: "fuzz", limits: DecodeLimits(maxMegapixels: 2),
                                                     longSide: 64)
            #expect(decoded.image.pixels.count == decoded.width * decoded.height * 3, "\(name): pixel count disagrees with the size")
        } catch {
            #expect(error.description.hasPrefix("fuzz: "), "\(name): the error should name the input: \(error)")
        }
    }

    /// The in-process half gives what a whole decode of a seed gives: a 9×13 PPM averaged over a
    /// 432×648 pt TrimBox inside a 450×666 pt page, 64 pixels along the long side.
    @Test func seedDecodesToTheTrimBox() throws {
        let seed = [UInt8](try Data(contentsOf: Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Seeds/pdf/trim-bleed.seed")))
        let split = try #require(seed.firstIndex(of: 0))
        let decoded = try ImageDecoder.decodePDF(pdfinfo: String(decoding: seed[..<split], as: UTF8.self), pdftoppm: Array(seed[(split + 1)...]),
                                                 name: "seed", longSide: 64)
        #expect(decoded.width == 43 && decoded.height == 64, "\(decoded.width)×\(decoded.height)")
        #expect(decoded.info.variant == "cut to TrimBox")
        #expect(decoded.info.page?.trimBox == PDFPage.Box(x0: 9, y0: 9, x1: 441, y1: 657))
    }
}
