/// What one format's decoder hands back to ``ImageDecoder``: stored-orientation RGB pixels plus
/// the facts only that format knows. ``ImageDecoder`` adds orientation, colour management and
/// builds ``ImageInfo``.
struct FormatDecode {
    /// RGB as PIL would give it: no colour profile applied, CMYK by PIL's formula, 16-bit samples
    /// cut to their high byte (16-bit grey without alpha clipped at 255).
    var image: RGBImage
    var colourModel: ColourModel
    var bitDepth: Int
    var variant: String
    /// The EXIF TIFF structure, if any (JPEG APP1, PNG eXIf, WebP EXIF chunk, a TIFF file itself).
    var exif: [UInt8]?
    var isAnimated = false
    var frameCount = 1
    var warnings: [String] = []
    /// The embedded ICC colour profile (JPEG APP2, PNG iCCP, WebP ICCP, TIFF tag 34675).
    var iccProfile: [UInt8]? = nil
    /// What a colour profile applies to, and what colour management shows without one, when that
    /// is not `image` (CMYK inks, 16-bit samples reduced better than PIL does); nil when `image`
    /// holds the stored colours.
    var profileInput: ProfileInput? = nil
    /// PDF: the first page's size and boxes.
    var page: PDFPage? = nil
    /// See ``ImageInfo/cutShort``.
    var cutShort: String? = nil
}

/// The stored colours that colour management starts from, when ``FormatDecode/image`` is not them.
enum ProfileInput {
    /// Ink amounts, 0 = no ink, `C M Y K` per pixel, already composited over white paper.
    case cmyk([UInt8])
    /// RGB (or grey repeated) reduced from 16 bits otherwise than PIL does: TIFF by rounding
    /// instead of cutting the low byte, 16-bit grey PNG by its high byte instead of clipping.
    case rgb(RGBImage)
}
