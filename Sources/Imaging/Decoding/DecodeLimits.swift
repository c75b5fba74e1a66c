/// What a decode may cost and do, decided before any pixel memory is allocated.
public struct DecodeLimits: Equatable, Sendable {
    /// Images whose header declares more pixels than this are refused (`DecodeError.tooLarge`).
    ///
    /// 100 megapixels is about 300 MB of RGB and far above any book cover (a 6×9 inch print cover at
    /// 600 dpi is 19 megapixels); a small file claiming more is a decompression bomb or damaged.
    public var maxMegapixels: Double
    /// Turn pixels upright according to the EXIF orientation tag, as cameras and viewers expect.
    public var appliesOrientation: Bool
    /// Convert colours to sRGB with the file's embedded ICC profile and scale 16-bit samples with
    /// rounding (see ``ColourProfile``). Off gives PIL's pixels exactly: profile ignored, CMYK by
    /// PIL's formula, 16-bit samples cut to their high byte.
    public var colourManagement: Bool

    /// Use a JPEG whose data ends inside the image, with the missing part mid-grey (libjpeg's fill)
    /// and a warning, instead of refusing it as truncated. Off by default: a cover with a grey band
    /// skews its colour statistics and embedding. JPEGs that lack only their end marker, or only
    /// the refinement scans of a progressive file, are used either way (every pixel is there).
    public var allowsTruncated: Bool

    /// Decode a JPEG at a half, a quarter or an eighth of its size, in libjpeg's IDCT, when both
    /// sides keep at least this many pixels, as PIL's `Image.draft("RGB", (side, side))` does; nil
    /// decodes every pixel. Much cheaper for large files, and the pixels are PIL's drafted ones,
    /// not the full decode's: only an opt-in ``Preprocessing/jpegDraft`` sets it. Other formats
    /// are decoded whole either way.
    public var jpegDraftSide: Int?

    public init(maxMegapixels: Double = 100, appliesOrientation: Bool = true, colourManagement: Bool = true,
                allowsTruncated: Bool = false, jpegDraftSide: Int? = nil) {
        self.maxMegapixels = maxMegapixels
        self.appliesOrientation = appliesOrientation
        self.colourManagement = colourManagement
        self.allowsTruncated = allowsTruncated
        self.jpegDraftSide = jpegDraftSide
    }

    public static let `default` = DecodeLimits()

    /// The pixel limit as a count (at least 0).
    var maxPixels: UInt64 {
        guard maxMegapixels.isFinite, maxMegapixels > 0 else { return maxMegapixels > 0 ? UInt64.max : 0 }
        let pixels = maxMegapixels * 1_000_000
        return pixels >= Double(UInt64.max) ? UInt64.max : UInt64(pixels)
    }
}
