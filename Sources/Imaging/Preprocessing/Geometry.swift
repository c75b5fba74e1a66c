/// How a cover of any shape becomes the square a backbone expects.
///
/// Covers are mostly portrait (about 2:3), so the choice decides what the model sees:
/// - `stretch` squeezes the whole cover into the square (title and author stay in view). It is what
///   the PyTorch recipe's `transforms.Resize((224, 224))` does, hence the default.
/// - `crop` scales the shorter side to the target and cuts the centre square, like torchvision's
///   `Resize(224)` + `CenterCrop(224)`; the reference tensors were made this way. A 2:3 cover loses
///   its top and bottom sixths — often the title.
/// - `letterbox` scales the longer side to the target and pads the rest with mid-grey (127,127,127),
///   which both normalisations map to about 0, so the padding looks like "no signal" rather than a
///   black or white frame. Nothing is cut and nothing is distorted.
///
/// Every mode resizes with `resizeBilinear` (PIL's filter, bit-exact).
public enum Geometry: String, Codable, CaseIterable, Sendable {
    case stretch, crop, letterbox

    /// The colour letterboxing pads with.
    public static let padding: (r: UInt8, g: UInt8, b: UInt8) = (127, 127, 127)

    /// `image` brought to `size × size` pixels.
    public func apply(to image: RGBImage, size: Int) -> RGBImage {
        switch self {
        case .stretch:
            return resizeBilinear(image, width: size, height: size)
        case .crop:
            return centreCrop(image, size: size)
        case .letterbox:
            return letterbox(image, size: size)
        }
    }

    /// torchvision's `Resize(size)` then `CenterCrop(size)`: the shorter side becomes `size`, the
    /// longer `int(size * long / short)`; the crop starts at `round((extent - size) / 2)` with
    /// Python's round-half-to-even (portrait 300×450 → 224×336, top 56).
    private func centreCrop(_ image: RGBImage, size: Int) -> RGBImage {
        let (w, h) = Self.shorterSideScaled(width: image.width, height: image.height, to: size)
        let left = Self.pythonRoundHalf(w - size)
        let top = Self.pythonRoundHalf(h - size)
        return resizeBilinear(image, width: w, height: h,
                              columns: left ..< left + size, rows: top ..< top + size)
    }

    /// Output size of torchvision's `Resize(size)` for a `width × height` image. The division is a
    /// float division truncated towards zero, as in Python's `int(size * long / short)`.
    static func shorterSideScaled(width: Int, height: Int, to size: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { return (size, size) }
        let short = min(width, height), long = max(width, height)
        let scaledLong = Int(Double(size * long) / Double(short))
        return width <= height ? (size, scaledLong) : (scaledLong, size)
    }

    /// `round(n / 2)` with ties to even, as Python 3's `round`: 1 → 0, 3 → 2, 5 → 2, 112 → 56.
    static func pythonRoundHalf(_ n: Int) -> Int {
        Int((Double(n) / 2).rounded(.toNearestOrEven))
    }

    /// The longer side becomes `size`, the shorter `round(size * short / long)` (at least 1),
    /// centred on a `size × size` mid-grey square (any odd pixel of slack goes right / bottom).
    private func letterbox(_ image: RGBImage, size: Int) -> RGBImage {
        guard image.width > 0, image.height > 0 else { return RGBImage(width: size, height: size, fill: Self.padding) }
        let short = min(image.width, image.height), long = max(image.width, image.height)
        let scaledShort = max(1, Int((Double(size * short) / Double(long)).rounded()))
        let (w, h) = image.width >= image.height ? (size, scaledShort) : (scaledShort, size)
        let inner = resizeBilinear(image, width: w, height: h)
        var canvas = RGBImage(width: size, height: size, fill: Self.padding)
        let left = (size - w) / 2, top = (size - h) / 2
        for y in 0..<h {
            let src = y * w * 3
            let dst = ((top + y) * size + left) * 3
            canvas.pixels.replaceSubrange(dst ..< dst + w * 3, with: inner.pixels[src ..< src + w * 3])
        }
        return canvas
    }
}
