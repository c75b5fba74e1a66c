import Imaging

/// A coarse map of where a model looks (Grad-CAM output): `height × width` values in 0…1, rows
/// top to bottom — typically 7×7 for a 224-pixel input.
public struct AttentionMap: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `[height, width]`, row-major.
    public let values: [Float]

    public init(width: Int, height: Int, values: [Float]) throws {
        guard width > 0, height > 0, values.count == width * height else {
            throw RenderingError.invalidHeatmap(width: width, height: height, count: values.count)
        }
        self.width = width
        self.height = height
        self.values = values
    }

    /// The map resized to `outWidth × outHeight` by bilinear interpolation with pixel centres
    /// aligned (PyTorch's `interpolate(mode="bilinear", align_corners=False)`, OpenCV's
    /// `resize`), which is how Grad-CAM implementations upsample. Values are clamped to 0…1 and
    /// NaN becomes 0. Result: `[outHeight, outWidth]`.
    public func upsampled(width outWidth: Int, height outHeight: Int) -> [Float] {
        func taps(_ out: Int, _ size: Int) -> [(i0: Int, i1: Int, t: Float)] {
            let scale = Float(size) / Float(out)
            return (0..<out).map { o in
                let src = max(0, (Float(o) + 0.5) * scale - 0.5)
                let i0 = min(Int(src), size - 1)
                return (i0, min(i0 + 1, size - 1), src - Float(i0))
            }
        }
        let clean = values.map { $0.isNaN ? 0 : max(0, min(1, $0)) }
        let xs = taps(outWidth, width), ys = taps(outHeight, height)
        var out = [Float](repeating: 0, count: outWidth * outHeight)
        for (oy, y) in ys.enumerated() {
            let r0 = y.i0 * width, r1 = y.i1 * width
            for (ox, x) in xs.enumerated() {
                let top = clean[r0 + x.i0] * (1 - x.t) + clean[r0 + x.i1] * x.t
                let bottom = clean[r1 + x.i0] * (1 - x.t) + clean[r1 + x.i1] * x.t
                out[oy * outWidth + ox] = top * (1 - y.t) + bottom * y.t
            }
        }
        return out
    }

    /// `image` with the map laid over it: each pixel becomes `(1 − alpha)·pixel + alpha·map(value)`.
    public func overlay(on image: RGBImage, colourMap: ColourMap = .turbo, alpha: Double = 0.45) -> RGBImage {
        let values = upsampled(width: image.width, height: image.height)
        let a = Float(max(0, min(1, alpha)))
        // 256 entries looked up once instead of once per pixel.
        let lut = (0..<256).map { colourMap.bytes(at: (Double($0) + 0.5) / 256) }
        var out = image
        for (i, v) in values.enumerated() {
            let c = lut[max(0, min(255, Int(v * 256)))]
            let p = i * 3
            out.pixels[p] = UInt8((Float(image.pixels[p]) * (1 - a) + Float(c.r) * a).rounded())
            out.pixels[p + 1] = UInt8((Float(image.pixels[p + 1]) * (1 - a) + Float(c.g) * a).rounded())
            out.pixels[p + 2] = UInt8((Float(image.pixels[p + 2]) * (1 - a) + Float(c.b) * a).rounded())
        }
        return out
    }
}
