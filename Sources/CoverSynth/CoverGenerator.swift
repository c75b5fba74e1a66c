import Foundation
import Imaging
import Rendering
import Support

/// A synthetic cover: its design, its pixels and how many characters no font could draw.
public struct RenderedCover: Sendable {
    public let design: CoverDesign
    public let image: RGBImage
    /// Characters drawn as "unknown glyph" boxes (0 when the fonts cover the text).
    public let unknownGlyphs: Int

    /// The cover as a JPEG file at the design's own quality.
    public func jpeg() throws -> [UInt8] { try JPEGEncoder.encode(image, quality: design.jpegQuality) }
}

/// Draws plausible, varied book covers on Rendering's `Canvas` (Cairo and Pango), so CoverLens can
/// ship examples and tests without anyone's artwork.
///
/// A cover is a pure function of its `CoverDesign` (and so of its seed, style and class): the
/// painter, palette, layout and grain all come from a `SeededGenerator` seeded from it, and
/// fonts are rendered without hinting, so the same design gives the same pixels byte for byte.
/// The fonts are Debian's: DejaVu, URW base35 (fonts-urw-base35) and Noto CJK KR (fonts-noto-cjk).
public struct CoverGenerator: Sendable {
    public let width: Int
    public let height: Int
    /// How far apart the classes' design quality lies (`CoverDesign.qualityDistribution`); 1 = the default set.
    public var classGap: Double = 1

    /// Covers are portrait; 400×600 is a 2:3 trade-paperback shape at thumbnail resolution.
    public init(width: Int = 400, height: Int = 600) throws {
        guard (64...4000).contains(width), (64...4000).contains(height) else {
            throw CoverSynthError.invalidRequest("cover size \(width)×\(height) is outside 64…4000 pixels per side")
        }
        self.width = width
        self.height = height
    }

    /// A cover drawn from a seed, in the given style and class.
    public func render(seed: UInt64, style: CoverStyle, coverClass: CoverClass) throws -> RenderedCover {
        try render(CoverDesign(seed: seed, style: style, coverClass: coverClass, classGap: classGap))
    }

    public func render(_ design: CoverDesign) throws -> RenderedCover {
        var random = CoverRandom(seed: CoverRandom.derive(design.seed, 2, 0))
        let look = CoverLook(quality: design.quality, random: &random)
        // One drawing at a time in the process (`FontStack`): FreeType faces are shared between
        // threads, and the report's figures may be drawn on another thread meanwhile.
        let (picture, unknown) = try FontStack.withLock {
            let canvas: Canvas
            do {
                canvas = try Canvas(size: Size(width: Double(width), height: Double(height)))
            } catch {
                throw CoverSynthError.drawingFailed("\(error)")
            }
            design.style.painter.paint(canvas, design, look, &random)
            return (try canvas.renderedImage(), canvas.unknownGlyphsDrawn)
        }
        var image = picture
        Self.compressTones(&image, factor: min(0.62 + 0.5 * design.quality, 1.02))
        Self.addGrain(&image, amplitude: random.uniform(1.5, 4), &random)
        if random.chance(0.5) {
            image = try Self.resaved(image, quality: random.int(60...90))
        }
        return RenderedCover(design: design, image: image, unknownGlyphs: unknown)
    }

    /// The image after one JPEG save and load: half the covers have been through an earlier
    /// compression before their final one, like covers collected from shops and websites.
    static func resaved(_ image: RGBImage, quality: Int) throws -> RGBImage {
        let bytes = try JPEGEncoder.encode(image, quality: quality)
        do {
            return try ImageDecoder.decode(bytes: bytes, name: "re-encoded cover").image
        } catch {
            throw CoverSynthError.drawingFailed("re-encoding at quality \(quality) failed: \(error)")
        }
    }

    /// Pulls every channel towards its mean by `factor` (< 1 flattens): the washed-out, muddy
    /// print that weak designs often have, applied to the whole cover as a last step.
    static func compressTones(_ image: inout RGBImage, factor: Double) {
        let count = image.width * image.height
        guard count > 0, factor != 1 else { return }
        var means = [0.0, 0.0, 0.0]
        for i in 0..<count { for k in 0..<3 { means[k] += Double(image.pixels[i * 3 + k]) } }
        means = means.map { $0 / Double(count) }
        for i in 0..<count {
            for k in 0..<3 {
                let v = means[k] + (Double(image.pixels[i * 3 + k]) - means[k]) * factor
                image.pixels[i * 3 + k] = UInt8(clamping: Int(v.rounded()))
            }
        }
    }

    /// Film-grain-like luminance noise (triangular distribution, ±`amplitude` grey levels at most
    /// about twice that), so covers are never flat fills that a model could key on.
    static func addGrain(_ image: inout RGBImage, amplitude: Double, _ random: inout CoverRandom) {
        let count = image.width * image.height
        image.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<count {
                let bits = random.next()
                let a = Double(bits & 0xFFFF) / 65535, b = Double((bits >> 16) & 0xFFFF) / 65535
                let n = Int(((a + b - 1) * 2 * amplitude).rounded())
                for k in 0..<3 {
                    p[i * 3 + k] = UInt8(clamping: Int(p[i * 3 + k]) + n)
                }
            }
        }
    }
}
