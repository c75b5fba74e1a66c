import CImageDecode
import Foundation

/// PNG files for opaque RGB images (figures): no alpha channel, zlib level 9 and libpng's
/// adaptive row filters, so a report's figures take far fewer bytes than Cairo's own writer
/// (which always stores alpha at zlib's default level).
public enum PNGEncoder {
    public enum EncodeError: Error, CustomStringConvertible, Equatable {
        case invalidSize(width: Int, height: Int)
        case library(message: String)

        public var description: String {
            switch self {
            case .invalidSize(let w, let h): "cannot write a \(w)×\(h) PNG"
            case .library(let message): "libpng: \(message)"
            }
        }
    }

    public static func encode(_ image: RGBImage, level: Int = 9) throws -> Data {
        guard image.width > 0, image.height > 0, image.pixels.count == image.width * image.height * 3 else {
            throw EncodeError.invalidSize(width: image.width, height: image.height)
        }
        let encoded = image.pixels.withUnsafeBufferPointer { rgb in
            CEncoded.run { cl_png_encode(rgb.baseAddress, UInt32(image.width), UInt32(image.height), Int32(max(0, min(9, level))), $0) }
        }
        switch encoded {
        case .success(let bytes): return Data(bytes)
        case .failure(let failure): throw EncodeError.library(message: failure.message)
        }
    }
}
