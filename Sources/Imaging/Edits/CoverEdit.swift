import Foundation
import Support
import Tensors

/// The ways a copied cover is typically changed, for the copy detector's benchmark and tests:
/// the seven edits measured on real covers (issue 14) and a photo of a printed cover.
///
/// Each edit is a pure function of the image (and, for `photo`, a seed), so a benchmark run is
/// repeatable. Colour edits round once at the end, as an image editor saving 8-bit pixels does.
public enum CoverEdit: String, CaseIterable, Sendable {
    /// Re-saved as JPEG at quality 30, then decoded.
    case jpeg30 = "jpeg-q30"
    /// The central 90 % of width and height (81 % of the area).
    case crop90 = "crop-90"
    /// Every pixel halfway to its own grey (ITU-R 601 luma).
    case saturationHalved = "saturation-half"
    /// Every channel × 1.25, clipped at 255.
    case brighter = "brightness+25"
    /// The top 18 % painted over with that band's mean colour: the title area of most covers.
    case titlePainted = "title-painted"
    /// Luma (ITU-R 601) in all three channels.
    case greyscale
    /// Left and right swapped.
    case mirrored
    /// A phone photo of the printed cover: perspective, a table behind, glare, blur, JPEG.
    case photo

    /// The edited image; `seed` only matters for `photo`. Throws when the JPEG round trip fails.
    public func apply(to image: RGBImage, seed: UInt64 = 0) throws -> RGBImage {
        switch self {
        case .jpeg30: return try Self.jpegRoundTrip(image, quality: 30)
        case .crop90: return Self.centralCrop(image, fraction: 0.9)
        case .saturationHalved: return Self.mapPixels(image) { r, g, b in
            let y = Self.luma(r, g, b)
            return ((r + y) / 2, (g + y) / 2, (b + y) / 2)
        }
        case .brighter: return Self.mapPixels(image) { r, g, b in (r * 1.25, g * 1.25, b * 1.25) }
        case .titlePainted: return Self.paintTop(image, fraction: 0.18)
        case .greyscale: return Self.mapPixels(image) { r, g, b in
            let y = Self.luma(r, g, b)
            return (y, y, y)
        }
        case .mirrored: return Self.mirror(image)
        case .photo:
            var generator = SeededGenerator(seed: seed)
            var photo = PhotoEdit(generator: &generator)
            return try photo.apply(to: image)
        }
    }

    static func luma(_ r: Float, _ g: Float, _ b: Float) -> Float { 0.299 * r + 0.587 * g + 0.114 * b }

    static func jpegRoundTrip(_ image: RGBImage, quality: Int) throws -> RGBImage {
        let bytes = try JPEGEncoder.encode(image, quality: quality)
        return try ImageDecoder.decode(bytes: bytes, name: "re-saved JPEG").image
    }

    /// `fraction` of each side, centred.
    public static func centralCrop(_ image: RGBImage, fraction: Double) -> RGBImage {
        let w = max(1, Int((Double(image.width) * fraction).rounded()))
        let h = max(1, Int((Double(image.height) * fraction).rounded()))
        let x0 = (image.width - w) / 2, y0 = (image.height - h) / 2
        var pixels = [UInt8]()
        pixels.reserveCapacity(w * h * 3)
        for y in y0..<(y0 + h) {
            let row = (y * image.width + x0) * 3
            pixels.append(contentsOf: image.pixels[row..<(row + w * 3)])
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    static func mapPixels(_ image: RGBImage, _ body: (Float, Float, Float) -> (Float, Float, Float)) -> RGBImage {
        var out = image
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = body(Float(image.pixels[i]), Float(image.pixels[i + 1]), Float(image.pixels[i + 2]))
            out.pixels[i] = byte(r); out.pixels[i + 1] = byte(g); out.pixels[i + 2] = byte(b)
        }
        return out
    }

    static func byte(_ value: Float) -> UInt8 { UInt8(min(255, max(0, value)).rounded()) }

    static func paintTop(_ image: RGBImage, fraction: Double) -> RGBImage {
        let rows = Int((Double(image.height) * fraction).rounded())
        let count = rows * image.width * 3
        guard rows > 0 else { return image }
        var sums = [Int](repeating: 0, count: 3)
        for i in 0..<count { sums[i % 3] += Int(image.pixels[i]) }
        let pixelsInBand = count / 3
        var out = image
        for i in 0..<count { out.pixels[i] = UInt8(sums[i % 3] / pixelsInBand) }
        return out
    }

    static func mirror(_ image: RGBImage) -> RGBImage {
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                let s = (y * image.width + x) * 3, t = (y * image.width + image.width - 1 - x) * 3
                out.pixels[t] = image.pixels[s]; out.pixels[t + 1] = image.pixels[s + 1]; out.pixels[t + 2] = image.pixels[s + 2]
            }
        }
        return out
    }
}
