import Foundation
import Testing
@testable import Imaging

/// JPEG encoding: well-formed files, deterministic bytes, quality that matters, typed errors.
@Suite struct JPEGEncoderTests {
    /// A smooth colour ramp with a sharp square: both the easy and the hard case for JPEG.
    static func sample(width: Int = 64, height: Int = 48) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let inSquare = (20..<40).contains(x) && (10..<30).contains(y)
                image[x, y] = inSquare ? (250, 250, 250) : (UInt8(x * 255 / width), UInt8(y * 255 / height), 90)
            }
        }
        return image
    }

    /// Reads the frame header (SOF0) for the stored width and height.
    static func frameSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var i = 2
        while i + 9 < bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            if marker == 0xC0 {
                return (Int(bytes[i + 7]) << 8 | Int(bytes[i + 8]), Int(bytes[i + 5]) << 8 | Int(bytes[i + 6]))
            }
            i += 2 + length
        }
        return nil
    }

    @Test func writesABaselineJPEGOfTheRightSize() throws {
        let bytes = try JPEGEncoder.encode(Self.sample(), quality: 85)
        #expect(Array(bytes.prefix(2)) == [0xFF, 0xD8], "missing SOI marker")
        #expect(Array(bytes.suffix(2)) == [0xFF, 0xD9], "missing EOI marker")
        let size = Self.frameSize(bytes)
        #expect(size?.width == 64 && size?.height == 48, "frame header says \(String(describing: size))")
    }

    @Test(arguments: [50, 85, 95])
    func roundTripsThroughTheDecoder(quality: Int) throws {
        let original = Self.sample()
        let bytes = try JPEGEncoder.encode(original, quality: quality)
        let decoded = try ImageDecoder.decode(bytes: bytes, name: "encoded.jpg").image
        #expect(decoded.width == original.width && decoded.height == original.height)
        let errors = zip(original.pixels, decoded.pixels).map { abs(Int($0) - Int($1)) }
        let mean = Double(errors.reduce(0, +)) / Double(errors.count)
        // Lossy, so not zero; a few grey levels on average, less at higher quality.
        let limit = quality >= 95 ? 1.5 : quality >= 85 ? 2.5 : 5
        #expect(mean < limit, "quality \(quality): mean absolute error \(mean) over \(limit)")
    }

    @Test func sameInputGivesSameBytes() throws {
        #expect(try JPEGEncoder.encode(Self.sample(), quality: 80) == JPEGEncoder.encode(Self.sample(), quality: 80))
    }

    @Test func higherQualityGivesLargerFiles() throws {
        let low = try JPEGEncoder.encode(Self.sample(), quality: 20).count
        let high = try JPEGEncoder.encode(Self.sample(), quality: 95).count
        #expect(low < high, "quality 20: \(low) bytes, quality 95: \(high) bytes")
    }

    @Test func rejectsBadQualityAndEmptyImages() {
        #expect(throws: JPEGEncodeError.invalidQuality(0)) { try JPEGEncoder.encode(Self.sample(), quality: 0) }
        #expect(throws: JPEGEncodeError.invalidQuality(101)) { try JPEGEncoder.encode(Self.sample(), quality: 101) }
        #expect(throws: JPEGEncodeError.invalidSize(width: 0, height: 5)) {
            try JPEGEncoder.encode(RGBImage(width: 0, height: 5), quality: 80)
        }
    }

    @Test func writesAtomicallyAndReportsTheFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("표지 1.jpg")
        try JPEGEncoder.write(Self.sample(), quality: 80, to: url)
        #expect(try Data(contentsOf: url) == Data(JPEGEncoder.encode(Self.sample(), quality: 80)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["표지 1.jpg"], "temporary file left behind")
        let missing = folder.appendingPathComponent("no/such/folder/x.jpg")
        #expect(throws: JPEGEncodeError.self) { try JPEGEncoder.write(Self.sample(), quality: 80, to: missing) }
    }
}
