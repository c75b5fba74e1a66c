import Foundation
import Testing
@testable import Imaging

/// The report's figure files: lossless WebP gives back every pixel, lossy stays close, both decode
/// through our own WebP decoder, and sizes outside the format are refused by name.
@Suite struct WebPEncoderTests {
    /// A chart-like image: flat areas, a hard diagonal edge and a gradient.
    static func chart(width: Int = 97, height: Int = 61) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                if x > y * 2 { pixels += [46, 125, 79] } else { pixels += [UInt8(x * 255 / width), UInt8(y * 255 / height), 200] }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func losslessGivesBackEveryPixel() throws {
        let image = Self.chart()
        let data = try WebPEncoder.encode(image, .lossless)
        let back = try ImageDecoder.decode(data: data, name: "chart.webp").image
        #expect(back.width == image.width && back.height == image.height)
        #expect(back.pixels == image.pixels, "lossless WebP changed pixels")
        #expect(String(decoding: data[12..<16], as: UTF8.self) == "VP8L")
    }

    @Test func lossyStaysCloseAndIsSmallerThanLossless() throws {
        let image = Self.chart(width: 400, height: 300)
        let lossy = try WebPEncoder.encode(image, .lossy(quality: 80))
        let back = try ImageDecoder.decode(data: lossy, name: "cover.webp").image
        let error = zip(back.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / image.pixels.count
        #expect(error <= 4, "mean absolute error \(error) of 255")
        #expect(String(decoding: lossy[12..<16], as: UTF8.self) == "VP8 ")
        #expect(try WebPEncoder.encode(image, .lossy(quality: 80)) == lossy, "the same pixels gave other bytes")
    }

    @Test func sizesAndQualitiesOutsideTheFormatAreRefused() {
        #expect(throws: WebPEncoder.EncodeError.invalidSize(width: 16384, height: 1)) {
            try WebPEncoder.encode(RGBImage(width: 16384, height: 1, pixels: [UInt8](repeating: 0, count: 16384 * 3)), .lossless)
        }
        #expect(throws: WebPEncoder.EncodeError.invalidQuality(101)) {
            try WebPEncoder.encode(Self.chart(), .lossy(quality: 101))
        }
    }
}
