/// The EXIF orientation tag (0x0112): how the stored pixels must be turned to appear upright.
///
/// Raw values are the tag's 1–8. Names say what the *stored* image looks like relative to the
/// scene; ``RGBImage/applying(_:)`` undoes it the same way PIL's `ImageOps.exif_transpose` does.
public enum ExifOrientation: Int, Sendable, CaseIterable, Codable {
    case up = 1
    case upMirrored = 2
    case down = 3
    case downMirrored = 4
    case leftMirrored = 5
    case right = 6
    case rightMirrored = 7
    case left = 8

    /// True for 5–8, where the upright image has width and height swapped.
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// What a person would call the correction: "none", "rotate 90° clockwise", …
    public var correction: String {
        switch self {
        case .up: "none"
        case .upMirrored: "mirror left-right"
        case .down: "rotate 180°"
        case .downMirrored: "mirror top-bottom"
        case .leftMirrored: "mirror left-right, then rotate 90° anticlockwise"
        case .right: "rotate 90° clockwise"
        case .rightMirrored: "mirror left-right, then rotate 90° clockwise"
        case .left: "rotate 90° anticlockwise"
        }
    }

    /// The orientation in an EXIF TIFF structure (bytes from "II*\0" or "MM\0*"), or nil when the
    /// structure is damaged or has no valid tag. Only IFD0 is read, where the tag lives.
    static func parse(tiff bytes: [UInt8]) -> ExifOrientation? {
        var bytes = bytes
        // Some writers (WebP, PNG) keep JPEG's "Exif\0\0" prefix.
        if bytes.starts(with: Array("Exif".utf8) + [0, 0]) { bytes.removeFirst(6) }
        guard bytes.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            let (a, b) = (Int(bytes[at]), Int(bytes[at + 1]))
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let low = u16(littleEndian ? at : at + 2), let high = u16(littleEndian ? at + 2 : at) else { return nil }
            return low | high << 16
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0 ..< count {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT (type 3) is what the standard says; a LONG (4) written by a sloppy tool still
            // carries the value in its first bytes for the file's byte order.
            guard let type = u16(at + 2), type == 3 || type == 4 else { return nil }
            let value = type == 3 ? u16(at + 8) : u32(at + 8)
            return value.flatMap(ExifOrientation.init(rawValue:))
        }
        return nil
    }
}
