import Foundation

/// Colour and layout measures of one cover, as the common-feature analysis compares them.
///
/// All measures are taken on the *analysis image*: the cover resized (PIL bilinear, aspect kept) so
/// its longer side is at most `Options.analysisSide` (256) pixels; smaller covers are used as they
/// are. That makes a 600-pixel thumbnail and a 3000-pixel scan of the same design give nearly the
/// same numbers — edge density in particular depends on scale — and bounds the cost per cover.
public struct ColourStatistics: Codable, Hashable, Sendable {
    /// Mean CIE L* (0 black … 100 white).
    public var brightness: Double
    /// Population standard deviation of L* (0 for a flat cover, 50 for half black, half white).
    public var contrast: Double
    /// Mean HSV saturation `(max − min) / max` of the sRGB components (0 where max = 0), in [0, 1].
    /// HSV rather than Lab chroma because it is what designers mean by "saturated": a dark, deep
    /// red counts as fully saturated although its chroma is low.
    public var saturation: Double
    /// Hasler & Süsstrunk (2003) colourfulness M on 0–255 sRGB values:
    /// `rg = R − G`, `yb = (R + G) / 2 − B`, `M = √(σ_rg² + σ_yb²) + 0.3·√(μ_rg² + μ_yb²)`
    /// (population σ). Their scale: 0 not colourful, ~15 slightly, ~33 moderately, ~45 averagely,
    /// ~59 quite, ~82 highly, ~109 extremely colourful.
    public var colourfulness: Double
    /// Visual complexity: the fraction of interior pixels of the grey analysis image
    /// (BT.601 luma `0.299 R + 0.587 G + 0.114 B`) whose 3×3 Sobel gradient magnitude exceeds
    /// `Options.edgeThreshold` (128: a clean step of 32 grey levels, one eighth of the range).
    /// The one-pixel border, where the kernel does not fit, is left out.
    public var edgeDensity: Double
    /// Near-uniform background: the fraction of the analysis image covered by flat 8×8 blocks, a
    /// block being flat when the RMS ΔE*76 of its pixels from the block's mean Lab colour is at most
    /// `Options.flatness` (3, about one just-noticeable difference). Blocks cut by the right or bottom
    /// edge count with their actual pixel count. On covers these flat fields are mostly background.
    public var backgroundShare: Double
    /// Dominant colours, largest share first (see `PaletteExtractor`).
    public var palette: [PaletteSwatch]

    /// How the statistics are taken; the defaults are documented on each property.
    public struct Options: Codable, Hashable, Sendable {
        public var analysisSide = 256
        public var edgeThreshold = 128.0
        public var blockSize = 8
        public var flatness = 3.0
        public var paletteColours = 6
        public var seed: UInt64 = 0

        public init() {}
    }

    public init(brightness: Double, contrast: Double, saturation: Double, colourfulness: Double,
                edgeDensity: Double, backgroundShare: Double, palette: [PaletteSwatch]) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.colourfulness = colourfulness
        self.edgeDensity = edgeDensity
        self.backgroundShare = backgroundShare
        self.palette = palette
    }

    /// Measures `image`. An empty image gives zeros and an empty palette.
    public init(measuring image: RGBImage, options: Options = Options()) {
        let small = Self.analysisImage(image, side: options.analysisSide)
        let lab = Self.labPixels(small)
        let lightness = Self.meanAndDeviation(lab.map(\.l))
        self.init(brightness: lightness.mean,
                  contrast: lightness.deviation,
                  saturation: Self.saturation(small),
                  colourfulness: Self.colourfulness(small),
                  edgeDensity: Self.edgeDensity(small, threshold: options.edgeThreshold),
                  backgroundShare: Self.flatShare(lab, width: small.width, height: small.height,
                                                  block: options.blockSize, flatness: options.flatness),
                  palette: PaletteExtractor(colours: options.paletteColours, seed: options.seed)
                      .palette(lab: lab, pixels: small.pixels))
    }

    /// `image` shrunk so its longer side is at most `side` (aspect kept, each side at least 1 pixel).
    static func analysisImage(_ image: RGBImage, side: Int) -> RGBImage {
        let long = max(image.width, image.height)
        guard long > side, side > 0 else { return image }
        let scale = Double(side) / Double(long)
        return resizeBilinear(image, width: max(1, Int((Double(image.width) * scale).rounded())),
                              height: max(1, Int((Double(image.height) * scale).rounded())))
    }

    /// Every pixel in Lab, row-major.
    ///
    /// A cover has far fewer colours than pixels (flat fields, one colour of text), and a conversion
    /// costs three cube roots, so the conversions are remembered in a small table indexed by a hash
    /// of the 24-bit colour, a newer colour replacing an older one in its slot. A colour converts to
    /// the same Lab every time, so the result is exactly that of converting each pixel.
    static func labPixels(_ image: RGBImage) -> [LabColour] {
        let p = image.pixels
        let slotBits = 13
        var colours = [UInt32](repeating: .max, count: 1 << slotBits)   // .max is no 24-bit colour
        var labs = [LabColour](repeating: LabColour(l: 0, a: 0, b: 0), count: 1 << slotBits)
        return (0 ..< image.width * image.height).map { i in
            let (red, green, blue) = (p[i * 3], p[i * 3 + 1], p[i * 3 + 2])
            let colour = UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue)
            let slot = Int((colour &* 0x9E37_79B1) >> (32 - UInt32(slotBits)))   // Fibonacci hashing
            if colours[slot] != colour {
                colours[slot] = colour
                labs[slot] = LabColour(red: red, green: green, blue: blue)
            }
            return labs[slot]
        }
    }
}
