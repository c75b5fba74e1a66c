/// How a file stores colour, before CoverLens converts it to 8-bit RGB.
public enum ColourModel: String, Sendable, CaseIterable, Codable {
    /// Red, green, blue (PNG truecolour, lossless WebP, JPEG with Adobe transform 0).
    case rgb
    /// RGB plus an alpha channel; composited over white.
    case rgba
    /// JPEG's usual luma/chroma encoding, and lossy WebP's YUV.
    case ycbcr
    /// One luminance channel.
    case grey
    /// Luminance plus alpha; composited over white.
    case greyAlpha = "grey+alpha"
    /// Indexed colour (PNG palette); `paletteAlpha` when a tRNS chunk makes entries transparent.
    case palette
    case paletteAlpha = "palette+alpha"
    /// Print colour (JPEG from prepress tools); converted with PIL's formula.
    case cmyk
    /// CMYK whose C, M, Y are stored as YCbCr (Adobe transform 2).
    case ycck

    /// True when the image carried transparency that was composited over white.
    public var hasAlpha: Bool {
        switch self {
        case .rgba, .greyAlpha, .paletteAlpha: true
        default: false
        }
    }
}
