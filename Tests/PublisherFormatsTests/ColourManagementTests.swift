import CLCMS2
import CoverSynth
import Foundation
import Imaging
import Testing

/// Print colours back to screen colours: a CMYK TIFF carrying its press profile, converted back,
/// lands within ΔE2000 < 3 of the sRGB original on average; PIL's profile-blind formula does not.
/// The forward conversions here use Little CMS directly, not CoverLens's code.
@Suite struct ColourManagementTests {
    static let cmykProfilePath = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    static let hasCMYKProfile = FileManager.default.fileExists(atPath: cmykProfilePath)
    /// A generated cover as a designer would send it to press: the romance cover with its colours
    /// halved towards mid grey, inside the press's gamut. (The dark thriller cover is mostly near
    /// black, where any CMYK formula is close: 2.9 without the profile; the full-strength romance
    /// cover has screen colours no press prints: 3.5 with it.)
    let cover: RGBImage = {
        let generator = try! CoverGenerator(width: 200, height: 300)
        var image = try! generator.render(seed: 21, style: .romance, coverClass: .popular).image
        image.pixels = image.pixels.map { UInt8((Int($0) + 128) / 2) }
        return image
    }()

    // lcms2.h's TYPE_* macros (not imported by Swift): COLORSPACE_SH(pt) | CHANNELS_SH(n) | BYTES_SH(b) | FLOAT_SH(f).
    static let rgb8 = UInt32(PT_RGB) << 16 | 3 << 3 | 1
    static let cmyk8 = UInt32(PT_CMYK) << 16 | 4 << 3 | 1
    static let labDouble = 1 << 22 | UInt32(PT_Lab) << 16 | 3 << 3

    /// Converts `samples` (count pixels) between two profiles with Little CMS.
    private func convert(_ samples: [UInt8], count: Int, from input: cmsHPROFILE, _ inFormat: UInt32,
                         to output: cmsHPROFILE, _ outFormat: UInt32, outChannels: Int) throws -> [UInt8] {
        let transform = try #require(cmsCreateTransform(input, inFormat, output, outFormat, UInt32(INTENT_RELATIVE_COLORIMETRIC),
                                                        UInt32(cmsFLAGS_BLACKPOINTCOMPENSATION)))
        defer { cmsDeleteTransform(transform) }
        var out = [UInt8](repeating: 0, count: count * outChannels)
        cmsDoTransform(transform, samples, &out, UInt32(count))
        return out
    }

    /// Mean CIEDE2000 between two sRGB images.
    private func meanDeltaE(_ a: RGBImage, _ b: RGBImage) throws -> Double {
        let sRGB = try #require(cmsCreate_sRGBProfile()), lab = try #require(cmsCreateLab4Profile(nil))
        defer { cmsCloseProfile(sRGB); cmsCloseProfile(lab) }
        let transform = try #require(cmsCreateTransform(sRGB, Self.rgb8, lab, Self.labDouble, UInt32(INTENT_RELATIVE_COLORIMETRIC), 0))
        defer { cmsDeleteTransform(transform) }
        let count = a.width * a.height
        var labA = [cmsCIELab](repeating: cmsCIELab(), count: count), labB = labA
        cmsDoTransform(transform, a.pixels, &labA, UInt32(count))
        cmsDoTransform(transform, b.pixels, &labB, UInt32(count))
        var total = 0.0
        for i in 0 ..< count { total += cmsCIE2000DeltaE(&labA[i], &labB[i], 1, 1, 1) }
        return total / Double(count)
    }

    /// The cover's `samples` (8-bit, as stored) written as a TIFF carrying `profile`, decoded with
    /// colour management on and off.
    private func decodeBothWays(_ samples: [UInt8], samplesPerPixel: Int, photometric: Int,
                                profile: [UInt8]) throws -> (managed: DecodedImage, ignored: DecodedImage) {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("profiled.tif")
        try TestTIFF(width: cover.width, height: cover.height, samples: samples.map(UInt16.init), samplesPerPixel: samplesPerPixel,
                     bitsPerSample: 8, photometric: photometric, iccProfile: profile).write(to: url)
        return (try ImageDecoder.decode(contentsOf: url, limits: DecodeLimits(colourManagement: true)),
                try ImageDecoder.decode(contentsOf: url, limits: DecodeLimits(colourManagement: false)))
    }

    @Test(.enabled(if: hasCMYKProfile, "needs Ghostscript's CMYK profile (libgs-common, installed by scripts/setup.sh)"))
    func cmykWithProfileComesBackWithinDeltaE3() throws {
        let profileBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.cmykProfilePath)))
        let cmyk = try #require(profileBytes.withUnsafeBytes { cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) })
        let sRGB = try #require(cmsCreate_sRGBProfile())
        defer { cmsCloseProfile(cmyk); cmsCloseProfile(sRGB) }
        let ink = try convert(cover.pixels, count: cover.width * cover.height, from: sRGB, Self.rgb8, to: cmyk, Self.cmyk8, outChannels: 4)
        let (managed, ignored) = try decodeBothWays(ink, samplesPerPixel: 4, photometric: 5, profile: profileBytes)
        #expect(managed.info.colourProfile?.colourSpace == "CMYK")
        #expect(managed.info.colourProfile?.name == "Artifex CMYK SWOP Profile")
        #expect(managed.info.colourManaged)
        #expect(!ignored.info.colourManaged)
        #expect(managed.summary.contains("colour profile \"Artifex CMYK SWOP Profile\" (CMYK) → sRGB"))
        let withProfile = try meanDeltaE(managed.image, cover), withoutProfile = try meanDeltaE(ignored.image, cover)
        // Measured 0.47 with the profile and 12.2 without it (2026-12-03): far on either side of 3.
        #expect(withProfile < 3, "mean ΔE2000 with the profile: \(withProfile)")
        #expect(withoutProfile >= 3, "mean ΔE2000 ignoring the profile: \(withoutProfile) (should be visibly off)")
    }

    @Test func wideGamutRGBProfileIsConverted() throws {
        // Adobe RGB (1998): its primaries, D65 white, gamma 563/256, built with Little CMS.
        var white = cmsCIExyY(x: 0.3127, y: 0.3290, Y: 1)
        var primaries = cmsCIExyYTRIPLE(Red: cmsCIExyY(x: 0.64, y: 0.33, Y: 1), Green: cmsCIExyY(x: 0.21, y: 0.71, Y: 1),
                                        Blue: cmsCIExyY(x: 0.15, y: 0.06, Y: 1))
        let curve = try #require(cmsBuildGamma(nil, 563.0 / 256))
        defer { cmsFreeToneCurve(curve) }
        var curves: [OpaquePointer?] = [curve, curve, curve]
        let adobe = try #require(cmsCreateRGBProfile(&white, &primaries, &curves))
        let sRGB = try #require(cmsCreate_sRGBProfile())
        defer { cmsCloseProfile(adobe); cmsCloseProfile(sRGB) }
        var size: UInt32 = 0
        cmsSaveProfileToMem(adobe, nil, &size)
        var profileBytes = [UInt8](repeating: 0, count: Int(size))
        cmsSaveProfileToMem(adobe, &profileBytes, &size)
        let stored = try convert(cover.pixels, count: cover.width * cover.height, from: sRGB, Self.rgb8, to: adobe, Self.rgb8, outChannels: 3)
        let (managed, ignored) = try decodeBothWays(stored, samplesPerPixel: 3, photometric: 2, profile: profileBytes)
        #expect(managed.info.colourProfile?.colourSpace == "RGB")
        #expect(try meanDeltaE(managed.image, cover) < 1)
        #expect(try meanDeltaE(ignored.image, cover) > 2, "Adobe RGB values read as sRGB look washed out")
        #expect(ignored.image.pixels == stored, "off: the stored values, as PIL gives them")
    }

    @Test func damagedProfileIsIgnoredWithAWarning() throws {
        let folder = try FormatFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad-profile.tif")
        try TestTIFF(width: cover.width, height: cover.height, samples: FormatFixtures.rgbSamples(cover), samplesPerPixel: 3,
                     bitsPerSample: 8, photometric: 2, iccProfile: Array("not an ICC profile at all, just text".utf8)).write(to: url)
        let decoded = try ImageDecoder.decode(contentsOf: url)
        #expect(decoded.image == cover)
        #expect(decoded.info.colourProfile == nil)
        #expect(decoded.info.warnings.contains { $0.contains("colour profile") && $0.contains("damaged") })
    }

    @Test func colourManagementIsPartOfThePreprocessingRecord() throws {
        let on = Preprocessing(), off = Preprocessing(colourManagement: false)
        #expect(on.colourManagement, "on by default")
        let encoder = JSONEncoder()
        let decodedOff = try JSONDecoder().decode(Preprocessing.self, from: try encoder.encode(off))
        #expect(decodedOff == off)
        #expect(on != off, "so the model fingerprint and the embedding cache key differ")
        let old = #"{"geometry":"stretch","size":224,"normalization":"efficientnet"}"#
        #expect(try JSONDecoder().decode(Preprocessing.self, from: Data(old.utf8)).colourManagement,
                "a model file from before the setting gets the default")
        #expect(on.decodeLimits(.default).colourManagement && !off.decodeLimits(.default).colourManagement)
    }
}
