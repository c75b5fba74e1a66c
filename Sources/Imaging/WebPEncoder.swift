import CWebP
import Foundation

/// WebP files for a report's figures, through libwebp's one-call encoders.
///
/// Lossless WebP stores a chart (flat colours, antialiased text) in about a third of the bytes of
/// the best PNG; lossy WebP stores covers in about half the bytes of a JPEG that looks the same.
/// Every current browser shows WebP, and the PDF is drawn from the figures themselves, not these
/// files. libwebp's one-call encoders are single-threaded and so give the same bytes every run.
public enum WebPEncoder {
    public enum EncodeError: Error, CustomStringConvertible, Equatable {
        case invalidSize(width: Int, height: Int)
        case invalidQuality(Double)
        case library

        public var description: String {
            switch self {
            case .invalidSize(let w, let h): "cannot encode a \(w)×\(h) image as WebP (each side must be 1…\(WebPEncoder.maximumSide) pixels)"
            case .invalidQuality(let q): "WebP quality \(q) is outside 0…100"
            case .library: "libwebp could not encode the image (out of memory?)"
            }
        }
    }

    /// WebP's format limit on each side.
    public static let maximumSide = 16383

    /// How the pixels are stored: `lossless` keeps every pixel (charts), `lossy(quality:)` is
    /// libwebp's 0…100 quality factor (covers; 80 shows no artefacts around 10-pt captions at 2×).
    public enum Mode: Equatable, Sendable {
        case lossless
        case lossy(quality: Double)
    }

    public static func encode(_ image: RGBImage, _ mode: Mode) throws -> Data {
        guard (1...maximumSide).contains(image.width), (1...maximumSide).contains(image.height),
              image.pixels.count == image.width * image.height * 3 else {
            throw EncodeError.invalidSize(width: image.width, height: image.height)
        }
        if case .lossy(let q) = mode, !(0...100).contains(q) { throw EncodeError.invalidQuality(q) }
        var output: UnsafeMutablePointer<UInt8>? = nil
        let size = image.pixels.withUnsafeBufferPointer { rgb in
            switch mode {
            case .lossless:
                WebPEncodeLosslessRGB(rgb.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 3), &output)
            case .lossy(let quality):
                WebPEncodeRGB(rgb.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 3), Float(quality), &output)
            }
        }
        defer { WebPFree(output) }
        guard size > 0, let output else { throw EncodeError.library }
        return Data(bytes: output, count: size)
    }
}
