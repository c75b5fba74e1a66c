import Foundation
import Imaging
import Testing

/// The generated cover as every TIFF a publisher's prepress might send: each lossless variant
/// within one grey level of the original, JPEG-in-TIFF close, and the layout facts reported.
@Suite struct TIFFCoverTests {
    static let hasTiffcp = FormatFixtures.tool("tiffcp") != nil
    let cover = FormatFixtures.cover

    private func decode(_ url: URL, colourManagement: Bool = true) throws -> DecodedImage {
        try ImageDecoder.decode(contentsOf: url, limits: DecodeLimits(colourManagement: colourManagement))
    }

    private func baseline(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("rgb8.tif")
        try TestTIFF(width: cover.width, height: cover.height, samples: FormatFixtures.rgbSamples(cover),
                     samplesPerPixel: 3, bitsPerSample: 8, photometric: 2).write(to: url)
        return url
    }

    @Test func uncompressedRGBIsTheCover() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoded = try decode(try baseline(in: folder))
        #expect(decoded.info.format == .tiff)
        #expect(decoded.info.variant == "uncompressed")
        #expect(decoded.image == cover)
    }

    @Test(.enabled(if: hasTiffcp, "tiffcp (libtiff-tools, installed by scripts/setup.sh) makes the compressed variants"),
          arguments: [("lzw", "LZW"), ("zip", "Deflate"), ("packbits", "PackBits")])
    func losslessCompressionWithinOneLevel(option: String, variant: String) throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("\(option).tif")
        try FormatFixtures.run("tiffcp", ["-c", option, try baseline(in: folder).path, out.path])
        let decoded = try decode(out)
        #expect(decoded.info.variant == variant)
        #expect(FormatFixtures.maxDifference(decoded.image, cover) <= 1, "\(variant) TIFF differs from the cover")
    }

    @Test(.enabled(if: hasTiffcp, "tiffcp (libtiff-tools) makes tiled and planar layouts"),
          arguments: [["-t", "-w", "64", "-l", "64"], ["-p", "separate"], ["-s", "-r", "7"], ["-t", "-p", "separate", "-c", "lzw"]])
    func layoutsWithinOneLevel(options: [String]) throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("layout.tif")
        try FormatFixtures.run("tiffcp", options + [try baseline(in: folder).path, out.path])
        #expect(FormatFixtures.maxDifference(try decode(out).image, cover) <= 1, "layout \(options)")
    }

    @Test(.enabled(if: hasTiffcp, "tiffcp (libtiff-tools) makes JPEG-in-TIFF"))
    func jpegCompressedIsClose() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("jpeg.tif")
        try FormatFixtures.run("tiffcp", ["-c", "jpeg:95", "-r", "16", try baseline(in: folder).path, out.path])
        let decoded = try decode(out)
        #expect(decoded.info.variant == "JPEG")
        let mean = zip(decoded.image.pixels, cover.pixels).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(cover.pixels.count)
        #expect(mean < 3, "JPEG-in-TIFF mean difference \(mean)")
    }

    @Test func sixteenBitRGB() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("rgb16.tif")
        // High byte v, low byte 0x80: cutting gives v, rounding v or v+1.
        try TestTIFF(width: cover.width, height: cover.height, samples: cover.pixels.map { UInt16($0) << 8 | 0x80 },
                     samplesPerPixel: 3, bitsPerSample: 16, photometric: 2).write(to: url)
        let managed = try decode(url), pil = try decode(url, colourManagement: false)
        #expect(managed.info.bitDepth == 16)
        #expect(FormatFixtures.maxDifference(managed.image, cover) <= 1)
        #expect(pil.image == cover, "off: PIL keeps the high byte")
    }

    @Test func greyEightAndSixteenBitAndWhiteIsZero() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grey = stride(from: 0, to: cover.pixels.count, by: 3).map { UInt16(cover.pixels[$0 + 1]) }
        let expected = RGBImage(width: cover.width, height: cover.height, pixels: grey.flatMap { [UInt8($0), UInt8($0), UInt8($0)] })
        let cases: [(String, TestTIFF)] = [
            ("grey8", TestTIFF(width: cover.width, height: cover.height, samples: grey, samplesPerPixel: 1, bitsPerSample: 8, photometric: 1)),
            ("grey16", TestTIFF(width: cover.width, height: cover.height, samples: grey.map { $0 * 257 }, samplesPerPixel: 1, bitsPerSample: 16, photometric: 1)),
            ("white-is-zero", TestTIFF(width: cover.width, height: cover.height, samples: grey.map { 255 - $0 }, samplesPerPixel: 1, bitsPerSample: 8, photometric: 0)),
        ]
        for (name, tiff) in cases {
            let url = folder.appendingPathComponent("\(name).tif")
            try tiff.write(to: url)
            let decoded = try decode(url)
            #expect(decoded.info.colourModel == .grey, "\(name)")
            #expect(FormatFixtures.maxDifference(decoded.image, expected) <= 1, "\(name)")
        }
    }

    @Test func paletteLooksUpTheColourMap() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 216 web-safe colours: the cover quantised to steps of 51.
        let levels = (0 ..< 6).map { UInt16($0 * 51) }
        var map = [UInt16](repeating: 0, count: 768)
        for i in 0 ..< 216 {
            map[i] = levels[i / 36] * 257; map[256 + i] = levels[i / 6 % 6] * 257; map[512 + i] = levels[i % 6] * 257
        }
        func level(_ v: UInt8) -> Int { (Int(v) + 25) / 51 }
        var indices: [UInt16] = [], expected: [UInt8] = []
        for i in stride(from: 0, to: cover.pixels.count, by: 3) {
            let (r, g, b) = (level(cover.pixels[i]), level(cover.pixels[i + 1]), level(cover.pixels[i + 2]))
            indices.append(UInt16(r * 36 + g * 6 + b))
            expected += [UInt8(r * 51), UInt8(g * 51), UInt8(b * 51)]
        }
        let url = folder.appendingPathComponent("palette.tif")
        try TestTIFF(width: cover.width, height: cover.height, samples: indices, samplesPerPixel: 1, bitsPerSample: 8,
                     photometric: 3, colourMap: map).write(to: url)
        let decoded = try decode(url)
        #expect(decoded.info.colourModel == .palette)
        #expect(decoded.image.pixels == expected)
    }

    @Test func alphaIsCompositedOverWhite() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var samples: [UInt16] = []
        var expected: [UInt8] = []
        for i in stride(from: 0, to: cover.pixels.count, by: 3) {
            let a = (i / 3) % 2 == 0 ? 255 : 0   // alternate opaque and transparent pixels
            samples += [UInt16(cover.pixels[i]), UInt16(cover.pixels[i + 1]), UInt16(cover.pixels[i + 2]), UInt16(a)]
            expected += a == 255 ? Array(cover.pixels[i ..< i + 3]) : [255, 255, 255]
        }
        let url = folder.appendingPathComponent("rgba.tif")
        try TestTIFF(width: cover.width, height: cover.height, samples: samples, samplesPerPixel: 4, bitsPerSample: 8,
                     photometric: 2, extraSamples: [2]).write(to: url)
        let decoded = try decode(url)
        #expect(decoded.info.colourModel == .rgba)
        #expect(decoded.image.pixels == expected)
    }

    @Test(.enabled(if: hasTiffcp, "tiffcp (libtiff-tools) joins pages"))
    func multiPageUsesTheFirstAndSaysSoOnce() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try baseline(in: folder)
        let second = folder.appendingPathComponent("grey.tif")
        try TestTIFF(width: 8, height: 8, samples: Array(repeating: 0, count: 64), samplesPerPixel: 1, bitsPerSample: 8, photometric: 1)
            .write(to: second)
        let out = folder.appendingPathComponent("pages.tif")
        try FormatFixtures.run("tiffcp", [first.path, second.path, second.path, out.path])
        let decoded = try decode(out)
        #expect(decoded.image == cover)
        #expect(decoded.info.warnings.filter { $0.contains("pages") } == ["3 pages: only the first is used"])
    }

    @Test func cmykWithoutProfileIsPILsFormula() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ink: [UInt16] = [0, 0, 0, 0, 255, 0, 0, 0, 0, 200, 180, 30, 160, 10, 150, 60]
        let url = folder.appendingPathComponent("cmyk.tif")
        try TestTIFF(width: 4, height: 1, samples: ink, samplesPerPixel: 4, bitsPerSample: 8, photometric: 5).write(to: url)
        let decoded = try decode(url)
        // PIL: r = (255−k) − MULDIV255(c, 255−k), rounded as in Convert.c.
        #expect(decoded.image.pixels == [255, 255, 255, 0, 255, 255, 225, 49, 66, 73, 187, 80])
        #expect(decoded.info.colourProfile == nil)
        #expect(decoded.summary.contains("no colour profile (CMYK converted as PIL does)"))
    }
}
