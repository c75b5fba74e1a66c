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

    public init(maxMegapixels: Double = 100, appliesOrientation: Bool = true, colourManagement: Bool = true) {
        self.maxMegapixels = maxMegapixels
        self.appliesOrientation = appliesOrientation
        self.colourManagement = colourManagement
    }

    public static let `default` = DecodeLimits()

    /// The pixel limit as a count (at least 0).
    var maxPixels: UInt64 {
        guard maxMegapixels.isFinite, maxMegapixels > 0 else { return maxMegapixels > 0 ? UInt64.max : 0 }
        let pixels = maxMegapixels * 1_000_000
        return pixels >= Double(UInt64.max) ? UInt64.max : UInt64(pixels)
    }
}
