import Foundation
import Support

/// Training-time augmentation suited to book covers, for partial and full fine-tuning (head mode
/// trains on cached embeddings of the unchanged covers and does not augment).
///
/// - A small random resized crop: a region of `minimumCropScale...1` of the area, its aspect
///   within `aspectJitter` of the cover's own, anywhere inside. Covers are composed to the edge
///   (title on top, author at the bottom), so crops stay large; the preprocessing then resizes the
///   region as it resizes any cover.
/// - Colour jitter: brightness, contrast and saturation factors drawn uniformly in 1 ± the given
///   amount, applied in that order (torchvision's `ColorJitter` draws the order too; a fixed order
///   keeps one draw fewer and changes nothing that matters at ±0.1).
/// - Horizontal flip: off by default, because a mirrored cover has mirrored text.
///
/// Every random value comes from the caller's `SeededGenerator`, a fixed number of draws per image,
/// so the same seed gives the same augmented images.
public struct CoverAugmentation: Codable, Equatable, Sendable {
    public var minimumCropScale: Double = 0.85
    /// Largest relative change of the crop's aspect ratio (0.1: from ×1/1.1 to ×1.1, log-uniform).
    public var aspectJitter: Double = 0.1
    public var brightness: Double = 0.1
    public var contrast: Double = 0.1
    public var saturation: Double = 0.1
    public var horizontalFlip = false

    public init() {}

    /// No change at all (validation and evaluation).
    public static let none: CoverAugmentation = {
        var a = CoverAugmentation()
        a.minimumCropScale = 1
        a.aspectJitter = 0
        a.brightness = 0
        a.contrast = 0
        a.saturation = 0
        return a
    }()

    /// An augmented copy of `image`. Draws exactly 8 values from `generator` whatever the settings.
    public func apply(_ image: RGBImage, generator: inout SeededGenerator) -> RGBImage {
        let scale = minimumCropScale + (1 - minimumCropScale) * generator.uniformDouble()
        let logRatio = log(1 + aspectJitter) * (2 * generator.uniformDouble() - 1)
        let xDraw = generator.uniformDouble(), yDraw = generator.uniformDouble()
        let factors = [brightness, contrast, saturation].map { 1 + $0 * (2 * generator.uniformDouble() - 1) }
        let flip = generator.uniformDouble() < 0.5 && horizontalFlip

        let area = scale * Double(image.width * image.height)
        let ratio = Double(image.width) / Double(image.height) * exp(logRatio)   // width / height of the crop
        let w = max(1, min(image.width, Int((area * ratio).squareRoot().rounded())))
        let h = max(1, min(image.height, Int((area / ratio).squareRoot().rounded())))
        let x0 = Int(xDraw * Double(image.width - w + 1)), y0 = Int(yDraw * Double(image.height - h + 1))
        return Self.jitter(image, x0: x0, y0: y0, width: w, height: h, flip: flip,
                           brightness: Float(factors[0]), contrast: Float(factors[1]), saturation: Float(factors[2]))
    }

    /// Crops (and flips), then scales brightness, blends with the mean grey (contrast) and with each
    /// pixel's grey (saturation), as torchvision's adjust_* functions do, rounding once at the end.
    static func jitter(_ image: RGBImage, x0: Int, y0: Int, width: Int, height: Int, flip: Bool,
                       brightness: Float, contrast: Float, saturation: Float) -> RGBImage {
        var values = [Float](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let sx = x0 + (flip ? width - 1 - x : x)
                let source = ((y0 + y) * image.width + sx) * 3, target = (y * width + x) * 3
                for c in 0..<3 { values[target + c] = min(255, Float(image.pixels[source + c]) * brightness) }
            }
        }
        let count = Float(width * height)
        var greySum: Float = 0
        for i in stride(from: 0, to: values.count, by: 3) { greySum += grey(values, i) }
        let mean = greySum / count
        var pixels = [UInt8](repeating: 0, count: values.count)
        for i in stride(from: 0, to: values.count, by: 3) {
            for c in 0..<3 { values[i + c] = min(255, max(0, (values[i + c] - mean) * contrast + mean)) }
            let g = grey(values, i)
            for c in 0..<3 { pixels[i + c] = UInt8(min(255, max(0, (values[i + c] - g) * saturation + g)).rounded()) }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// ITU-R 601 luma, torchvision's rgb_to_grayscale weights.
    private static func grey(_ v: [Float], _ i: Int) -> Float {
        0.299 * v[i] + 0.587 * v[i + 1] + 0.114 * v[i + 2]
    }
}
