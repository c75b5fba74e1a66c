/// What one format's decoder hands back to ``ImageDecoder``: stored-orientation RGB pixels plus
/// the facts only that format knows. ``ImageDecoder`` adds orientation and builds ``ImageInfo``.
struct FormatDecode {
    var image: RGBImage
    var colourModel: ColourModel
    var bitDepth: Int
    var variant: String
    /// The EXIF TIFF structure, if any (JPEG APP1, PNG eXIf, WebP EXIF chunk).
    var exif: [UInt8]?
    var isAnimated = false
    var frameCount = 1
    var warnings: [String] = []
}
