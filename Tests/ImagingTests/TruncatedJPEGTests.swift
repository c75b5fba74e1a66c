import Foundation
import Imaging
import Testing

/// JPEGs cut short (issue 16, point 7): a progressive file that lost only refinement scans has
/// every pixel and is used with a warning; a file cut inside the image data is refused as
/// truncated, or, with `allowsTruncated`, used with its missing part grey.
@Suite struct TruncatedJPEGTests {
    static let progressive = "jpeg-cover-progressive.jpg"
    static let baseline = "jpeg-cover-baseline.jpg"

    private func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
    }

    private func decode(_ bytes: [UInt8], allowsTruncated: Bool = false) -> Result<DecodedImage, DecodeError> {
        Result { () throws(DecodeError) in
            try ImageDecoder.decode(bytes: bytes, name: "cut.jpg", limits: DecodeLimits(allowsTruncated: allowsTruncated))
        }
    }

    /// Mean absolute difference per sample.
    private func meanDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        zip(a.pixels, b.pixels).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(a.pixels.count)
    }

    @Test func progressiveCutInARefinementScanIsUsedWithAWarning() throws {
        let file = try bytes(Self.progressive)
        let whole = try DecoderFixtures.decode(Self.progressive).get()
        let refinements = try #require(JPEGScans(file)).scans.filter { $0.ah > 0 }
        #expect(refinements.count >= 4, "the fixture should have libjpeg's five refinement scans")
        for scan in refinements {
            let decoded = try decode(Array(file[..<scan.middle])).get()
            #expect(decoded.info.warnings.first?.contains("last refinement scans") == true, "cut at \(scan.middle): \(decoded.info.warnings)")
            #expect(decoded.info.cutShort == decoded.info.warnings.first, "runs over folders name it")
            #expect((decoded.width, decoded.height) == (whole.width, whole.height))
            // Less detail everywhere, never a grey band: PIL (LOAD_TRUNCATED_IMAGES, the same
            // libjpeg) gives 5.8, 3.3, 2.8, 1.9 and 0.6 levels from the whole file for these cuts.
            let difference = meanDifference(decoded.image, whole.image)
            #expect(difference < 8, "cut at \(scan.middle): \(difference) levels from the whole file on average")
        }
        // The last refinement scan lost: the closest of all.
        let last = try decode(Array(file[..<refinements.last!.middle])).get()
        #expect(meanDifference(last.image, whole.image) < 1.5)
        #expect(whole.info.cutShort == nil && whole.info.warnings.isEmpty)
    }

    @Test func progressiveCutBeforeItsLastFirstScanIsTruncated() throws {
        let file = try bytes(Self.progressive)
        let firstScans = try #require(JPEGScans(file)).scans.filter { $0.ah == 0 }
        #expect(firstScans.count >= 3)
        for scan in firstScans {
            #expect(throws: DecodeError.truncated(path: "cut.jpg"), "cut at \(scan.middle)") { try decode(Array(file[..<scan.middle])).get() }
        }
    }

    @Test(arguments: [baseline, progressive])
    func cutInsideTheImageDataIsTruncatedUnlessAllowed(_ name: String) throws {
        let file = try bytes(name)
        let whole = try DecoderFixtures.decode(name).get()
        // Half-way through the first scan: the top of the image is there, the bottom is not.
        let scan = try #require(JPEGScans(file)?.scans.first)
        let cut = Array(file[..<scan.middle])
        #expect(throws: DecodeError.truncated(path: "cut.jpg")) { try decode(cut).get() }

        let decoded = try decode(cut, allowsTruncated: true).get()
        #expect(decoded.info.warnings.first?.contains("missing part is grey") == true, "\(decoded.info.warnings)")
        #expect((decoded.width, decoded.height) == (whole.width, whole.height))
        let rowBytes = whole.width * 3
        // The last row is libjpeg's fill: zero coefficients, mid-grey.
        let lastRow = decoded.image.pixels[(whole.height - 1) * rowBytes ..< whole.height * rowBytes]
        #expect(lastRow.allSatisfy { abs(Int($0) - 128) <= 1 }, "last row \(Array(lastRow.prefix(9)))")
        // The first rows are the picture (the baseline file's exactly; the progressive one's DC only).
        let top = RGBImage(width: whole.width, height: 8, pixels: Array(decoded.image.pixels[..<(8 * rowBytes)]))
        let wholeTop = RGBImage(width: whole.width, height: 8, pixels: Array(whole.image.pixels[..<(8 * rowBytes)]))
        #expect(meanDifference(top, wholeTop) < (name == Self.baseline ? 0.5 : 12), "\(name): top rows differ")
    }

    /// What a user sees: the warning leaves the error list, and the flag is what it names.
    @Test func truncatedMessageAndAllowedWarningNameWhatHappened() throws {
        let file = try bytes(Self.baseline)
        let cut = Array(file[..<(file.count / 2)])
        guard case .failure(let error) = decode(cut) else { Issue.record("a half file decoded"); return }
        #expect(error.description.hasPrefix("cut.jpg: the file ends before the image does"), "\(error)")
        let decoded = try decode(cut, allowsTruncated: true).get()
        #expect(decoded.info.warnings.contains { $0.contains("--allow-truncated") }, "\(decoded.info.warnings)")
    }
}
