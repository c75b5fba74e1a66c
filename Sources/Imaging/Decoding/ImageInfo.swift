/// What a decoder learned about a file besides its pixels (what `coverlens inspect` prints).
public struct ImageInfo: Equatable, Sendable {
    /// Detected from the bytes, not the file name.
    public var format: ImageFormat
    public var colourModel: ColourModel
    /// Bits per sample as stored (PNG 1–16, JPEG and WebP 8). Output is always 8 bits.
    public var bitDepth: Int
    /// Width and height as stored in the file, before orientation.
    public var storedWidth: Int
    public var storedHeight: Int
    /// The EXIF orientation tag, `.up` when the file has none.
    public var orientation: ExifOrientation
    /// Whether the pixels were turned upright (false when `.up` or when the caller asked not to).
    public var orientationApplied: Bool
    /// Encoding details worth showing a person: "baseline", "progressive", "interlaced",
    /// "lossy", "lossless".
    public var variant: String
    /// An animated WebP: only the first frame was decoded.
    public var isAnimated: Bool
    /// Frames in the file (1 for still images).
    public var frameCount: Int
    /// Problems the decoder worked around (e.g. "Corrupt JPEG data: 3 extraneous bytes").
    public var warnings: [String]
    /// The embedded ICC profile, if the file has one Little CMS can read.
    public var colourProfile: ColourProfile? = nil
    /// Whether the pixels were converted to sRGB with ``colourProfile``.
    public var colourManaged = false
    /// PDF only: the page's size and boxes, as `pdfinfo -box` gives them.
    public var page: PDFPage? = nil
    /// When the file's data ended early and the image was used all the same (a JPEG without its
    /// end marker or refinement scans, or cut and allowed): what is missing. Also in ``warnings``;
    /// runs over folders name the file with this one, since it says the cover is not whole.
    public var cutShort: String? = nil

    public init(format: ImageFormat, colourModel: ColourModel, bitDepth: Int, storedWidth: Int, storedHeight: Int,
                orientation: ExifOrientation = .up, orientationApplied: Bool = false, variant: String = "",
                isAnimated: Bool = false, frameCount: Int = 1, warnings: [String] = []) {
        self.format = format
        self.colourModel = colourModel
        self.bitDepth = bitDepth
        self.storedWidth = storedWidth
        self.storedHeight = storedHeight
        self.orientation = orientation
        self.orientationApplied = orientationApplied
        self.variant = variant
        self.isAnimated = isAnimated
        self.frameCount = frameCount
        self.warnings = warnings
    }
}
