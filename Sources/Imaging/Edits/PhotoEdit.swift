import Foundation
import Support
import Tensors

/// A phone photo of a printed cover, drawn from a seed: the cover seen at a slant on a table,
/// lit unevenly with a glare spot, slightly out of focus, saved as JPEG.
///
/// The cover fills about 70 % of the frame (the frame is 1.2 × its width and 1.15 × its height),
/// each corner moved by up to 6 % of the cover's side (a tilt of roughly 10°), shifted by up to 3 %;
/// the table is a random colour with a gradient and sensor noise (σ 3 levels); the light falls off
/// by up to 15 % across the frame; the glare is a Gaussian spot on the cover, a quarter of its
/// width across, that takes pixels 55 % of the way to white at its centre; the blur is two 3×3
/// box passes (about a Gaussian of σ 1.2 px on a 400 px wide cover); JPEG quality 80.
struct PhotoEdit {
    /// Output-frame positions of the cover's corners: top left, top right, bottom right, bottom left.
    var corners: [(x: Double, y: Double)] = []
    var table: (r: Double, g: Double, b: Double) = (0, 0, 0)
    var light: (x: Double, y: Double) = (0, 0)
    var glare: (x: Double, y: Double) = (0, 0)
    var generator: SeededGenerator

    init(generator: inout SeededGenerator) {
        self.generator = generator
        generator = SeededGenerator(seed: generator.next())
    }

    mutating func apply(to image: RGBImage) throws -> RGBImage {
        let (w, h) = (Double(image.width), Double(image.height))
        let frameW = Int((w * 1.2).rounded()), frameH = Int((h * 1.15).rounded())
        let dx = (Double(frameW) - w) / 2 + w * 0.03 * draw(-1, 1), dy = (Double(frameH) - h) / 2 + h * 0.03 * draw(-1, 1)
        corners = [(0, 0), (w, 0), (w, h), (0, h)].map { c in
            (dx + c.0 + w * 0.06 * draw(-1, 1), dy + c.1 + h * 0.06 * draw(-1, 1))
        }
        table = (draw(40, 200), draw(40, 180), draw(30, 160))
        light = (draw(-0.15, 0.15), draw(-0.15, 0.15))
        glare = (dx + w * draw(0.15, 0.85), dy + h * draw(0.15, 0.85))
        let toCover = Homography(from: corners, to: [(0, 0), (w, 0), (w, h), (0, h)])

        var values = [Float](repeating: 0, count: frameW * frameH * 3)
        let sigma = w * 0.25 / 2, strength = 0.55
        for y in 0..<frameH {
            for x in 0..<frameW {
                let (px, py) = (Double(x) + 0.5, Double(y) + 0.5)
                let (u, v) = toCover.map(px, py)
                var rgb: (Double, Double, Double)
                if u >= 0, v >= 0, u < w, v < h {
                    rgb = Self.sample(image, u - 0.5, v - 0.5)
                    let d2 = (px - glare.x) * (px - glare.x) + (py - glare.y) * (py - glare.y)
                    let g = strength * exp(-d2 / (2 * sigma * sigma))
                    rgb = (rgb.0 + (255 - rgb.0) * g, rgb.1 + (255 - rgb.1) * g, rgb.2 + (255 - rgb.2) * g)
                } else {
                    let shade = 0.9 + 0.2 * Double(y) / Double(frameH)
                    rgb = (table.r * shade, table.g * shade, table.b * shade)
                }
                let fall = 1 + light.x * (px / Double(frameW) - 0.5) * 2 + light.y * (py / Double(frameH) - 0.5) * 2
                let i = (y * frameW + x) * 3
                values[i] = Float(rgb.0 * fall + 3 * generator.normal())
                values[i + 1] = Float(rgb.1 * fall + 3 * generator.normal())
                values[i + 2] = Float(rgb.2 * fall + 3 * generator.normal())
            }
        }
        values = Self.boxBlur(Self.boxBlur(values, width: frameW, height: frameH), width: frameW, height: frameH)
        let photo = RGBImage(width: frameW, height: frameH, pixels: values.map(CoverEdit.byte))
        return try CoverEdit.jpegRoundTrip(photo, quality: 80)
    }

    private mutating func draw(_ low: Double, _ high: Double) -> Double { low + (high - low) * generator.uniformDouble() }

    /// Bilinear sample at pixel-centre coordinates (x, y), clamped at the edges.
    static func sample(_ image: RGBImage, _ x: Double, _ y: Double) -> (Double, Double, Double) {
        let x0 = min(max(Int(x.rounded(.down)), 0), image.width - 1), y0 = min(max(Int(y.rounded(.down)), 0), image.height - 1)
        let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
        let fx = min(max(x - Double(x0), 0), 1), fy = min(max(y - Double(y0), 0), 1)
        func at(_ x: Int, _ y: Int, _ c: Int) -> Double { Double(image.pixels[(y * image.width + x) * 3 + c]) }
        func channel(_ c: Int) -> Double {
            let top = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx
            let bottom = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx
            return top * (1 - fy) + bottom * fy
        }
        return (channel(0), channel(1), channel(2))
    }

    /// One 3×3 box pass over interleaved RGB values, edges clamped.
    static func boxBlur(_ values: [Float], width: Int, height: Int) -> [Float] {
        var out = values
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    var sum: Float = 0
                    for oy in -1...1 {
                        for ox in -1...1 {
                            let sx = min(max(x + ox, 0), width - 1), sy = min(max(y + oy, 0), height - 1)
                            sum += values[(sy * width + sx) * 3 + c]
                        }
                    }
                    out[(y * width + x) * 3 + c] = sum / 9
                }
            }
        }
        return out
    }
}
