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

        let encoded = image.pixels.withUnsafeBufferPointer { rgb in
            CEncoded.run { cl_jpeg_encode(rgb.baseAddress, UInt32(image.width), UInt32(image.height), Int32(quality), $0) }
        }
        switch encoded {
        case .success(let bytes): return bytes
        case .failure(let failure): throw JPEGEncodeError.library(message: failure.message)
        }
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
