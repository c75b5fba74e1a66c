/// The container formats CoverLens decodes, recognised from a file's first bytes (never its name:
/// covers downloaded from shops are often PNGs called `.jpg`, or WebPs called `.png`).
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, tiff
    /// HEIC (phone photos) and AVIF: the HEIF container, read by libheif.
    case heif
    /// The first page of a PDF, rendered by Poppler's tools.
    case pdf

    /// The name a user knows the format by, as messages and help list it.
    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .tiff: "TIFF"
        case .heif: "HEIC/AVIF"
        case .pdf: "PDF"
        }
    }

    /// "JPEG, PNG, WebP, TIFF, HEIC/AVIF or PDF": the one list of what CoverLens reads, for every
    /// message and help text that names it (so a new format cannot leave one saying less).
    public static let acceptedList: String = {
        let names = allCases.map(\.displayName)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }()

    /// What the first bytes of a file say it is.
    enum Sniffed: Equatable {
        case supported(ImageFormat)
        /// A recognised image or document format we do not decode, e.g. "GIF images".
        case unsupported(String)
        case unknown
    }

    /// Looks at the magic numbers: JPEG `FF D8 FF`, PNG's 8-byte signature, WebP `RIFF….WEBP`,
    /// TIFF `II*\0` / `MM\0*` (and BigTIFF's `+`).
    static func sniff(_ bytes: [UInt8]) -> Sniffed {
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset ..< offset + prefix.count]) == prefix
        }
        func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

        if starts(with: [0xFF, 0xD8, 0xFF]) { return .supported(.jpeg) }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .supported(.png) }
        if starts(with: ascii("RIFF")) && starts(with: ascii("WEBP"), at: 8) { return .supported(.webp) }

        if starts(with: ascii("GIF87a")) || starts(with: ascii("GIF89a")) { return .unsupported("a GIF image") }
        if starts(with: ascii("BM")) && bytes.count >= 14 { return .unsupported("a BMP image") }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .supported(.tiff) }
        if starts(with: [0x49, 0x49, 0x2B, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2B]) { return .supported(.tiff) }
        if starts(with: ascii("ftyp"), at: 4) {
            let brand = bytes.count >= 12 ? String(decoding: bytes[8 ..< 12], as: UTF8.self) : ""
            if brand.hasPrefix("avi") || brand.hasPrefix("hei") || brand.hasPrefix("mif")
                || brand.hasPrefix("hev") || brand.hasPrefix("msf") {
                return .supported(.heif)
            }
        }
        if starts(with: [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || starts(with: [0xFF, 0x4F, 0xFF, 0x51]) {
            return .unsupported("a JPEG 2000 image")
        }
        if starts(with: [0xFF, 0x0A]) || starts(with: [0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) {
            return .unsupported("a JPEG XL image")
        }
        if starts(with: ascii("%PDF")) { return .supported(.pdf) }
        return .unknown
    }

    /// How a file starts, for an error message: hex of up to 8 bytes and their printable text,
    /// e.g. `3C 21 44 4F 43 54 59 50 ("<!DOCTYP")` — an HTML error page saved as an image.
    static func describeStart(_ bytes: [UInt8]) -> String {
        let head = bytes.prefix(8)
        let hex = head.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        let text = String(head.map { (0x20 ..< 0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
        return "\(hex) (\"\(text)\")"
    }
}
