import CImageDecode
import Foundation
import Support

/// Why a JPEG could not be written, with the file (if any) and the reason.
public enum JPEGEncodeError: Error, CustomStringConvertible, Equatable {
    case invalidSize(width: Int, height: Int)
    case invalidQuality(Int)
    case library(message: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSize(let w, let h):
            "cannot encode a \(w)×\(h) image as JPEG (each side must be 1…65500 pixels)"
        case .invalidQuality(let q): "JPEG quality \(q) is outside 1…100"
        case .library(let message): "libjpeg could not encode the image: \(message)"
        case .writeFailed(let path, let reason): "\(path): cannot write the JPEG (\(reason))"
        }
    }
}

/// Baseline JPEG encoding through libjpeg-turbo.
///
/// The settings are fixed so that the same pixels and quality give the same bytes on every
/// machine: integer DCT (the SIMD and C versions agree bit for bit), 4:2:0 chroma subsampling,
/// JFIF header, optimised Huffman tables (smaller files, still deterministic).
public enum JPEGEncoder {
    /// JPEG's format limit on each side.
    public static let maximumSide = 65500

    /// The JPEG file bytes for `image` at `quality` (1…100; 75 is libjpeg's default, 90 is
    /// visually near-lossless for covers).
    public static func encode(_ image: RGBImage, quality: Int) throws -> [UInt8] {
        guard (1...maximumSide).contains(image.width), (1...maximumSide).contains(image.height) else {
            throw JPEGEncodeError.invalidSize(width: image.width, height: image.height)
        }
        guard (1...100).contains(quality) else { throw JPEGEncodeError.invalidQuality(quality) }

        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let status = image.pixels.withUnsafeBufferPointer { rgb in
            cl_jpeg_encode(rgb.baseAddress, UInt32(image.width), UInt32(image.height), Int32(quality),
                           &output, &size, &message)
        }
        defer { cl_jpeg_free(output) }
        guard status == 0, let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw JPEGEncodeError.library(message: text.isEmpty ? "unknown error" : text)
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// Encodes `image` and writes it to `url` through `AtomicFile`: a reader sees the old file or
    /// the complete new one, never half a JPEG.
    public static func write(_ image: RGBImage, quality: Int, to url: URL) throws {
        let bytes = try encode(image, quality: quality)
        do {
            try AtomicFile.write(Data(bytes), to: url)
        } catch let error as AtomicFile.WriteError {
            throw JPEGEncodeError.writeFailed(path: url.path, reason: error.reason)
        }
    }
}
