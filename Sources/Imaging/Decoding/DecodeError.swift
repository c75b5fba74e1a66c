import Foundation

/// Why a file could not be turned into an ``RGBImage``.
///
/// Every case names the file, and every message says what is wrong and what the user can do, so a
/// command can print `error.description` as it is and move on to the next file.
public enum DecodeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file is missing, is a directory, or cannot be read (permissions, I/O error).
    case unreadable(path: String, reason: String)
    /// The file has zero bytes.
    case empty(path: String)
    /// The bytes are not any of ``ImageFormat/acceptedList``. `firstBytes` shows how the file starts.
    case notAnImage(path: String, firstBytes: String)
    /// A real image, but a format or variant CoverLens does not decode (GIF, HEIC, 12-bit JPEG…).
    case unsupported(path: String, what: String)
    /// The data ends before the image does.
    case truncated(path: String)
    /// The header declares more pixels than the limit; nothing was allocated.
    case tooLarge(path: String, width: Int, height: Int, limitMegapixels: Double)
    /// The decoder rejected the data; `detail` is its explanation.
    case corrupt(path: String, detail: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .unreadable(let p, _), .empty(let p), .notAnImage(let p, _), .unsupported(let p, _),
             .truncated(let p), .tooLarge(let p, _, _, _), .corrupt(let p, _):
            p
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let p, let reason):
            "\(p): cannot be read (\(reason))"
        case .empty(let p):
            "\(p): the file is empty (0 bytes); an interrupted copy or download? Replace it or leave it out"
        case .notAnImage(let p, let first):
            "\(p): not a \(ImageFormat.acceptedList) file (it starts with \(first)); convert it or leave it out"
        case .unsupported(let p, let what):
            "\(p): \(what) is not supported; convert it to an 8-bit PNG or JPEG"
        case .truncated(let p):
            "\(p): the file ends before the image does (truncated download or copy?); fetch it again"
        case .tooLarge(let p, let w, let h, let limit):
            "\(p): \(w)×\(h) is \(Self.format(Double(w) * Double(h) / 1_000_000)) megapixels, over the \(Self.format(limit)) "
                + "megapixel limit; raise it with --max-megapixels if the file is genuine"
        case .corrupt(let p, let detail):
            "\(p): the image data is damaged (\(detail)); re-export or fetch the file again"
        }
    }

    /// Up to 4 significant digits, no trailing zeros: "900", "24.88", "0.0001".
    private static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
