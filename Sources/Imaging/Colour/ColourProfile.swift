import CLCMS2
import Foundation

/// An ICC colour profile embedded in a file, read with Little CMS: what `inspect` shows, and
/// what turns the stored colours into sRGB when colour management is on.
///
/// Print files carry the profile of the press or of the designer's screen (Adobe RGB, Coated
/// FOGRA39, …); without it the same cover as a CMYK TIFF and as the publisher's web JPEG give
/// different pixels, palettes and embeddings. The conversion uses relative colorimetric intent
/// with black-point compensation, Photoshop's default for showing print files on screen.
public struct ColourProfile: Equatable, Sendable {
    /// The profile's description tag, e.g. "Coated FOGRA39 (ISO 12647-2:2004)"; "" if it has none.
    public let name: String
    /// The colour space the profile describes: "RGB", "CMYK", "grey", or the ICC signature.
    public let colourSpace: String
    let bytes: [UInt8]

    /// Reads `bytes`; nil when Little CMS cannot parse them (a damaged or truncated profile).
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, let profile = Self.open(bytes) else { return nil }
        defer { cmsCloseProfile(profile) }
        self.bytes = bytes
        self.colourSpace = Self.describe(cmsGetColorSpace(profile))
        var text = [CChar](repeating: 0, count: 256)
        let length = cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", &text, UInt32(text.count))
        self.name = length > 0 ? String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces) : ""
    }

    /// `rgb` (8-bit RGB, or grey repeated in each channel for a grey profile) converted to sRGB;
    /// nil if the profile is not an RGB or grey profile or Little CMS cannot build the transform.
    func sRGB(fromRGB image: RGBImage) -> RGBImage? {
        switch colourSpace {
        case "RGB":
            return transform(image.pixels, inputFormat: Self.rgb8, width: image.width, height: image.height)
        case "grey":
            let grey = stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }
            return transform(grey, inputFormat: Self.grey8, width: image.width, height: image.height)
        default:
            return nil
        }
    }

    /// CMYK ink amounts (0 = no ink, 4 bytes a pixel) converted to sRGB; nil unless a CMYK profile.
    func sRGB(fromInk ink: [UInt8], width: Int, height: Int) -> RGBImage? {
        guard colourSpace == "CMYK" else { return nil }
        return transform(ink, inputFormat: Self.cmyk8, width: width, height: height)
    }

    private func transform(_ samples: [UInt8], inputFormat: UInt32, width: Int, height: Int) -> RGBImage? {
        guard let input = Self.open(bytes) else { return nil }
        defer { cmsCloseProfile(input) }
        guard let sRGB = cmsCreate_sRGBProfile() else { return nil }
        defer { cmsCloseProfile(sRGB) }
        guard let transform = cmsCreateTransform(input, inputFormat, sRGB, Self.rgb8, UInt32(INTENT_RELATIVE_COLORIMETRIC),
                                                 UInt32(cmsFLAGS_BLACKPOINTCOMPENSATION)) else { return nil }
        defer { cmsDeleteTransform(transform) }
        let count = width * height
        var out = [UInt8](repeating: 0, count: count * 3)
        samples.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                cmsDoTransform(transform, source.baseAddress, target.baseAddress, UInt32(count))
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    private static func open(_ bytes: [UInt8]) -> cmsHPROFILE? {
        bytes.withUnsafeBytes { cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) }
    }

    private static func describe(_ space: cmsColorSpaceSignature) -> String {
        switch space {
        case cmsSigRgbData: return "RGB"
        case cmsSigCmykData: return "CMYK"
        case cmsSigGrayData: return "grey"
        default:
            let raw = space.rawValue
            let bytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: raw >> $0) }
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }

    // Little CMS pixel formats (lcms2.h's TYPE_*_8 macros, which Swift does not import):
    // COLORSPACE_SH(pt) = pt << 16, CHANNELS_SH(n) = n << 3, BYTES_SH(1) = 1.
    static let grey8 = UInt32(PT_GRAY) << 16 | 1 << 3 | 1
    static let rgb8 = UInt32(PT_RGB) << 16 | 3 << 3 | 1
    static let cmyk8 = UInt32(PT_CMYK) << 16 | 4 << 3 | 1
}
