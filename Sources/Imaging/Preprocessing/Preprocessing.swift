import Tensors

/// Everything between a decoded cover and the tensor a backbone reads: geometry, size, normalisation.
///
/// A model records the `Preprocessing` it was trained with in its metadata (hence `Codable`), so it is
/// always scored with the same pixels it learned from. The default is what the PyTorch recipe does:
/// stretch to 224×224, `(x − 127) / 128`.
public struct Preprocessing: Codable, Hashable, Sendable {
    public var geometry: Geometry
    /// Side of the square input, in pixels.
    public var size: Int
    public var normalization: Normalization
    /// Whether covers are decoded with colour management (``DecodeLimits/colourManagement``):
    /// embedded ICC profiles convert to sRGB. It changes the pixels of files that carry a profile
    /// (print exports, Adobe RGB photos, CMYK) and of 16-bit files, so it is part of what a model
    /// records and of every embedding's cache key. On by default: the web JPEG and the print TIFF
    /// of one cover then give the same pixels; files without a profile are unchanged either way.
    public var colourManagement: Bool
    /// Decode JPEGs reduced in libjpeg's IDCT (a half, quarter or eighth, keeping both sides at
    /// least `size`), as PIL's `Image.draft("RGB", (size, size))` before the resize. Off by default:
    /// it changes the pixels (slightly: the IDCT averages where the resize would), so it is an
    /// opt-in that a model records and every embedding's cache key carries. On a 600×900 cover it
    /// halves both sides for a 224 input, which cuts the decode and the resize before the network
    /// to about half (README, "`coverlens embed` with decoding").
    public var jpegDraft: Bool

    /// A change in the decoded pixels of this setting since models first recorded it, for the
    /// embedding fingerprint (and so every cache key); nil while there has been none.
    ///
    /// `off` promises PIL's pixels, and since 2026-12-03 that includes PIL's clipping of 16-bit
    /// grey at 255 (such files kept their high byte before) and its rounding of premultiplied
    /// alpha in TIFFs: embeddings cached under `off` by an earlier CoverLens must not be reused,
    /// for those files at least. The cache is keyed before a file is decoded, so the whole `off`
    /// cache is renewed once. `on` pixels did not change, so its keys (nearly every user's cache)
    /// stay as they were. Not part of the recorded JSON: a model file means the same setting
    /// before and after.
    public var pixelRevision: String? { colourManagement ? nil : "pil-grey16-premultiplied" }

    public init(geometry: Geometry = .stretch, size: Int = 224, normalization: Normalization = .efficientNet,
                colourManagement: Bool = true, jpegDraft: Bool = false) {
        precondition(size > 0, "preprocessing size must be positive, got \(size)")
        self.geometry = geometry
        self.size = size
        self.normalization = normalization
        self.colourManagement = colourManagement
        self.jpegDraft = jpegDraft
    }

    /// The PyTorch recipe's preprocessing (stretch, 224, EfficientNet normalisation).
    public static let `default` = Preprocessing()
    /// The preprocessing of the reference tensors (`crop`, 224, EfficientNet normalisation, PIL's pixels).
    public static let reference = Preprocessing(geometry: .crop, colourManagement: false)

    /// The decode settings these covers need: `limits` with this preprocessing's colour management.
    public func decodeLimits(_ limits: DecodeLimits) -> DecodeLimits {
        var limits = limits
        limits.colourManagement = colourManagement
        limits.jpegDraftSide = jpegDraft ? size : nil
        return limits
    }

    /// The `size × size` 8-bit image the model sees (before normalisation), e.g. for overlays.
    public func resized(_ image: RGBImage) -> RGBImage {
        geometry.apply(to: image, size: size)
    }

    /// One image → [3, size, size].
    public func tensor(for image: RGBImage) -> Tensor {
        let pixels = resized(image).pixels
        return Tensor(shape: [3, size, size], storage: NormalizeKernel.planar(pixels, lookup: normalization.lookupTable))
    }

    /// Images → [N, 3, size, size], prepared in parallel over images on `compute.workers` threads.
    public func batch(_ images: [RGBImage], compute: ComputeContext) -> Tensor {
        let storage = NormalizeKernel.batch(count: images.count, planeSize: size * size, lookup: normalization.lookupTable,
                                            workers: compute.workers) { resized(images[$0]).pixels }
        return Tensor(shape: [images.count, 3, size, size], storage: storage)
    }

    // MARK: Codable (validated: metadata comes from a file)

    private enum CodingKeys: String, CodingKey { case geometry, size, normalization, colourManagement, jpegDraft }

    /// `jpegDraft` is written only when on, so every model file and fingerprint made without it
    /// (all of them before it existed) stays byte for byte what it was.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(geometry, forKey: .geometry)
        try container.encode(size, forKey: .size)
        try container.encode(normalization, forKey: .normalization)
        try container.encode(colourManagement, forKey: .colourManagement)
        if jpegDraft { try container.encode(true, forKey: .jpegDraft) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let size = try container.decode(Int.self, forKey: .size)
        guard (1...4096).contains(size) else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: container,
                                                   debugDescription: "preprocessing size \(size) is not in 1...4096")
        }
        self.init(geometry: try container.decode(Geometry.self, forKey: .geometry),
                  size: size,
                  normalization: try container.decode(Normalization.self, forKey: .normalization),
                  // Files written before the setting existed record none; they get the default.
                  colourManagement: try container.decodeIfPresent(Bool.self, forKey: .colourManagement) ?? true,
                  jpegDraft: try container.decodeIfPresent(Bool.self, forKey: .jpegDraft) ?? false)
    }
}
