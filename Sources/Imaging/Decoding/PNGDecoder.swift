import CImageDecode

/// PNG through libpng's low-level reader (via the CImageDecode shim, which owns libpng's setjmp).
///
/// Every colour type and depth becomes 8-bit RGB(A): palettes and tRNS expand to RGBA, 16-bit
/// samples keep their high byte (`v >> 8`, what PIL does), grey is repeated. 16-bit grey is the
/// exception: PIL clips it at 255, so that is the image, and the high byte is what colour
/// management starts from. No gamma correction (PIL applies none either); an iCCP profile is
/// handed on for colour management. Alpha is composited over white in Swift.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        try CDecodeStatus.run(cl_png_decode, on: bytes, path: path, limits: limits) { result throws(DecodeError) in
            try convert(result, path: path)
        }
    }

    /// RGB(A) from the shim → RGB, with the colour model the file declared.
    private static func convert(_ result: cl_decoded, path: String) throws(DecodeError) -> FormatDecode {
        let hasTransparency = result.has_trns != 0
        let model: ColourModel
        switch result.color_space {
        case 0: model = hasTransparency ? .greyAlpha : .grey
        case 2: model = hasTransparency ? .rgba : .rgb
        case 3: model = hasTransparency ? .paletteAlpha : .palette
        case 4: model = .greyAlpha
        case 6: model = .rgba
        default: throw .unsupported(path: path, what: "PNG colour type \(result.color_space)")
        }
        let width = Int(result.width), height = Int(result.height)
        let image: RGBImage
        var profileInput: ProfileInput?
        if result.sample_bytes == 2 {
            let wide = CDecodeStatus.copyWideSamples(of: result)
            let hasAlpha = result.components == 2
            image = RGBImage(width: width, height: height, pixels: greyRGB(PixelConversion.clippedGrey(wide), hasAlpha: hasAlpha))
            profileInput = .rgb(RGBImage(width: width, height: height, pixels: greyRGB(PixelConversion.highBytes(wide), hasAlpha: hasAlpha)))
        } else {
            let samples = CDecodeStatus.copyPixels(of: result)
            image = RGBImage(width: width, height: height,
                             pixels: result.components == 4 ? PixelConversion.rgb(fromRGBA: samples) : samples)
        }
        return FormatDecode(
            image: image,
            colourModel: model, bitDepth: Int(result.bit_depth),
            variant: result.progressive != 0 ? "interlaced" : "non-interlaced",
            exif: CDecodeStatus.copyExif(of: result), warnings: CDecodeStatus.warnings(of: result),
            iccProfile: CDecodeStatus.copyICC(of: result), profileInput: profileInput)
    }

    /// 8-bit grey (or grey and alpha, interleaved) → RGB, alpha over white.
    private static func greyRGB(_ samples: [UInt8], hasAlpha: Bool) -> [UInt8] {
        guard hasAlpha else { return PixelConversion.rgb(fromGrey: samples) }
        var rgba = [UInt8](repeating: 0, count: samples.count * 2)
        for i in 0 ..< samples.count / 2 {
            rgba[4 * i] = samples[2 * i]; rgba[4 * i + 1] = samples[2 * i]; rgba[4 * i + 2] = samples[2 * i]
            rgba[4 * i + 3] = samples[2 * i + 1]
        }
        return PixelConversion.rgb(fromRGBA: rgba)
    }
}
