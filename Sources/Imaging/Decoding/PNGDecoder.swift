import CImageDecode

/// PNG through libpng's low-level reader (via the CImageDecode shim, which owns libpng's setjmp).
///
/// Every colour type and depth becomes 8-bit RGB(A): palettes and tRNS expand to RGBA, 16-bit
/// samples keep their high byte (`v >> 8`, what PIL does), grey is repeated. No gamma
/// correction (PIL applies none either); an iCCP profile is handed on for colour management.
/// Alpha is composited over white in Swift.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        try CDecodeStatus.run(cl_png_decode, on: bytes, path: path, limits: limits) { result throws(DecodeError) in
            try convert(result, path: path)
        }
    }

    /// RGB(A) from the shim → RGB, with the colour model the file declared.
    private static func convert(_ result: cl_decoded, path: String) throws(DecodeError) -> FormatDecode {
        let samples = CDecodeStatus.copyPixels(of: result)
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
        let rgb = result.components == 4 ? PixelConversion.rgb(fromRGBA: samples) : samples
        return FormatDecode(
            image: RGBImage(width: Int(result.width), height: Int(result.height), pixels: rgb),
            colourModel: model, bitDepth: Int(result.bit_depth),
            variant: result.progressive != 0 ? "interlaced" : "non-interlaced",
            exif: CDecodeStatus.copyExif(of: result), warnings: CDecodeStatus.warnings(of: result),
            iccProfile: CDecodeStatus.copyICC(of: result))
    }
}
