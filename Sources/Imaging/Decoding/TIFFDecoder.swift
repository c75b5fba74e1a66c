import CImageDecode

/// TIFF through libtiff (via the CImageDecode shim, which binds libtiff's error handlers to each
/// decode): the first page, 8- or 16-bit, grey, RGB, palette or CMYK, any compression libtiff
/// reads (LZW, Deflate, PackBits, JPEG, …), strips or tiles, contiguous or planar.
///
/// The RGB it hands on is PIL's: 16-bit samples keep their high byte (16-bit grey without alpha
/// is clipped at 255, as PIL does), CMYK goes through PIL's formula, the colour profile is not
/// applied. For colour management it also keeps what the profile describes (``ProfileInput``):
/// the ink amounts, or 16-bit samples scaled with rounding.
enum TIFFDecoder {
    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        try CDecodeStatus.run(cl_tiff_decode, on: bytes, path: path, limits: limits) { result throws(DecodeError) in
            try convert(result, file: bytes, path: path)
        }
    }

    private static func convert(_ result: cl_decoded, file: [UInt8], path: String) throws(DecodeError) -> FormatDecode {
        let width = Int(result.width), height = Int(result.height)
        let components = Int(result.components)
        let alpha = TIFFAlpha(rawValue: Int(result.alpha)) ?? .none
        let channels = components - (alpha == .none ? 0 : 1)
        let photometric = Int(result.color_space)
        let isCMYK = photometric == 5 && result.via_rgba == 0
        guard channels == 1 || channels == 3 || (channels == 4 && isCMYK) else {
            throw .unsupported(path: path, what: "a TIFF with \(components) samples per pixel")
        }
        let wide = result.sample_bytes == 2
        let wideSamples: [UInt16] = wide ? CDecodeStatus.copyWideSamples(of: result) : []
        // PIL's reduction cuts the low byte; colour management scales with rounding instead.
        let cut: [UInt8] = wide ? PixelConversion.highBytes(wideSamples) : CDecodeStatus.copyPixels(of: result)
        var samples = SampleLayout(values: cut, channels: channels, alpha: alpha,
                                   isInk: isCMYK, whiteIsZero: photometric == 0 && result.via_rgba == 0)
        // Except 16-bit grey without alpha: PIL opens it as mode I;16 and clips at 255, ignoring
        // WhiteIsZero too (Pillow 13.0.0; Tests/Fixtures/sixteen-bit).
        let image = wide && channels == 1 && alpha == .none
            ? RGBImage(width: width, height: height, pixels: PixelConversion.rgb(fromGrey: PixelConversion.clippedGrey(wideSamples)))
            : RGBImage(width: width, height: height, pixels: samples.rgb(premultipliedAsPIL: true))

        var profileInput: ProfileInput?
        if isCMYK || wide || alpha == .premultiplied {
            if wide { samples.values = PixelConversion.rounded(wideSamples) }
            profileInput = isCMYK
                ? .cmyk(samples.inkOverPaper())
                : .rgb(RGBImage(width: width, height: height, pixels: samples.rgb()))
        }

        var warnings = CDecodeStatus.warnings(of: result)
        if result.page_count > 1 {
            warnings.insert("\(result.page_count) pages: only the first is used", at: 0)
        }
        return FormatDecode(
            image: image, colourModel: colourModel(photometric: photometric, hasAlpha: alpha != .none),
            bitDepth: Int(result.bit_depth), variant: variant(result), exif: file,
            frameCount: Int(result.page_count), warnings: warnings,
            iccProfile: CDecodeStatus.copyICC(of: result), profileInput: profileInput)
    }

    private static func colourModel(photometric: Int, hasAlpha: Bool) -> ColourModel {
        switch photometric {
        case 0, 1: hasAlpha ? .greyAlpha : .grey
        case 3: hasAlpha ? .paletteAlpha : .palette
        case 5: .cmyk
        case 6: .ycbcr
        default: hasAlpha ? .rgba : .rgb
        }
    }

    /// The compression, e.g. "LZW", and "tiled" when the page is stored in tiles.
    private static func variant(_ result: cl_decoded) -> String {
        switch result.compression {
        case 1: "uncompressed"
        case 5: "LZW"
        case 6, 7: "JPEG"
        case 8, 32946: "Deflate"
        case 32773: "PackBits"
        case 2, 3, 4: "CCITT fax"
        default: "compression \(result.compression)"
        }
    }
}

/// How a TIFF page carries transparency (the ExtraSamples tag).
enum TIFFAlpha: Int {
    case none = 0
    case straight = 1
    case premultiplied = 2
}

/// Interleaved 8-bit samples of one page: `channels` colour samples (grey, RGB or CMYK ink) and
/// an alpha sample last when `alpha` says so.
struct SampleLayout {
    var values: [UInt8]
    let channels: Int
    let alpha: TIFFAlpha
    /// CMYK ink amounts (0 = no ink, so paper white is 0, not 255).
    let isInk: Bool
    /// Photometric "white is zero" grey (0 = white).
    let whiteIsZero: Bool

    private var stride: Int { channels + (alpha == .none ? 0 : 1) }
    private var pixelCount: Int { values.count / stride }

    /// RGB as PIL gives it: grey repeated, inverted white-is-zero, CMYK by PIL's formula; alpha
    /// composited over white (PIL would drop it, see ``PixelConversion/rgb(fromRGBA:)``).
    /// Premultiplied colours are composited as they are, exactly; `premultipliedAsPIL` first
    /// divides them by alpha as PIL does on opening (rounding down), for PIL's pixels.
    func rgb(premultipliedAsPIL: Bool = false) -> [UInt8] {
        let colours = overPaper(premultipliedAsPIL: premultipliedAsPIL)
        if isInk {
            return PixelConversion.rgb(fromStoredCMYK: colours.map { 255 - $0 })
        }
        return channels == 1 ? PixelConversion.rgb(fromGrey: colours) : colours
    }

    /// CMYK ink amounts composited over white paper (transparent = no ink).
    func inkOverPaper() -> [UInt8] { overPaper() }

    /// The colour samples alone, alpha composited over paper white (255, or 0 ink).
    private func overPaper(premultipliedAsPIL: Bool = false) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: pixelCount * channels)
        let paper = isInk ? 0 : 255
        for i in 0 ..< pixelCount {
            let a = alpha == .none ? 255 : Int(values[i * stride + channels])
            for c in 0 ..< channels {
                var v = Int(values[i * stride + c])
                if whiteIsZero { v = 255 - v }
                switch alpha {
                case .none: break
                case .straight: v = (v * a + paper * (255 - a) + 127) / 255
                case .premultiplied where premultipliedAsPIL && !isInk:
                    // Pillow's unpackRGBa: c·255/a, 0 where a is 0; then over white as straight alpha.
                    let straight = a == 0 ? 0 : min(255, v * 255 / a)
                    v = (straight * a + paper * (255 - a) + 127) / 255
                case .premultiplied: v = min(255, v + paper * (255 - a) / 255)
                }
                out[i * channels + c] = UInt8(v)
            }
        }
        return out
    }
}
