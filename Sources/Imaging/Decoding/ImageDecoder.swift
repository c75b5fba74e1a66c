import Foundation

/// Decodes JPEG, PNG, WebP, TIFF, HEIC/AVIF and PDF files into upright 8-bit RGB.
///
/// The format comes from the file's first bytes, never its extension. Greyscale, CMYK/YCCK,
/// palettes and 16-bit samples are converted to 8-bit RGB; alpha is composited over white; the
/// EXIF orientation is applied; the first frame of an animated WebP, the first page of a TIFF or
/// PDF is used; an embedded colour profile converts to sRGB when ``DecodeLimits/colourManagement``
/// is on. Nothing here traps on bad input: every failure is a ``DecodeError`` naming the file.
public enum ImageDecoder {
    /// Reads and decodes the file at `url`.
    public static func decode(contentsOf url: URL, limits: DecodeLimits = .default) throws(DecodeError) -> DecodedImage {
        try decode(path: url.path, limits: limits)
    }

    /// Reads and decodes the file at `path`; errors show `path` as given (relative stays relative).
    public static func decode(path: String, limits: DecodeLimits = .default) throws(DecodeError) -> DecodedImage {
        let bytes = try readBytes(path: path)
        return try decode(bytes: bytes, name: path, limits: limits)
    }

    /// Decodes bytes already in memory; `name` is used in error messages.
    public static func decode(bytes: [UInt8], name: String, limits: DecodeLimits = .default) throws(DecodeError) -> DecodedImage {
        if bytes.isEmpty { throw .empty(path: name) }
        let format: ImageFormat
        switch ImageFormat.sniff(bytes) {
        case .supported(let supported): format = supported
        case .unsupported(let what): throw .unsupported(path: name, what: what)
        case .unknown: throw .notAnImage(path: name, firstBytes: ImageFormat.describeStart(bytes))
        }
        let decoded = try decoder(for: format)(bytes, name, limits)
        return finish(decoded, format: format, limits: limits)
    }

    /// One format's decoder: stored-orientation pixels and what only that format knows.
    typealias FormatDecoder = (_ bytes: [UInt8], _ path: String, _ limits: DecodeLimits) throws(DecodeError) -> FormatDecode

    /// The decoder of each ``ImageFormat``; a new format is a case there and a line here.
    private static func decoder(for format: ImageFormat) -> FormatDecoder {
        switch format {
        case .jpeg: JPEGDecoder.decode
        case .png: PNGDecoder.decode
        case .webp: WebPDecoder.decode
        case .tiff: TIFFDecoder.decode
        case .heif: HEIFDecoder.decode
        case .pdf: PDFDecoder.decode
        }
    }

    /// Decodes `data`; see ``decode(bytes:name:limits:)``.
    public static func decode(data: Data, name: String, limits: DecodeLimits = .default) throws(DecodeError) -> DecodedImage {
        try decode(bytes: [UInt8](data), name: name, limits: limits)
    }

    /// Applies the colour profile and the EXIF orientation and assembles the ``ImageInfo``.
    static func finish(_ decoded: FormatDecode, format: ImageFormat, limits: DecodeLimits) -> DecodedImage {
        let orientation = decoded.exif.flatMap { ExifOrientation.parse(tiff: $0) } ?? .up
        let apply = limits.appliesOrientation && orientation != .up
        var info = ImageInfo(
            format: format, colourModel: decoded.colourModel, bitDepth: decoded.bitDepth,
            storedWidth: decoded.image.width, storedHeight: decoded.image.height,
            orientation: orientation, orientationApplied: apply, variant: decoded.variant,
            isAnimated: decoded.isAnimated, frameCount: decoded.frameCount, warnings: decoded.warnings)
        var image = decoded.image
        let managed = ColourManagement.apply(to: decoded, on: limits.colourManagement)
        info.colourProfile = managed.profile
        info.colourManaged = managed.applied
        info.warnings += managed.warnings
        info.page = decoded.page
        info.cutShort = decoded.cutShort
        if let converted = managed.image { image = converted }
        if apply { image = image.applying(orientation) }
        return DecodedImage(image: image, info: info)
    }

    /// The file's bytes, or an `unreadable` error that says why (missing, a folder, no permission).
    public static func readBytes(path: String) throws(DecodeError) -> [UInt8] {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            // fileExists follows links: a link that leads nowhere (or to itself) is not "no such file".
            if (try? files.destinationOfSymbolicLink(atPath: path)) != nil {
                throw .unreadable(path: path, reason: "a broken symlink or a symlink loop; fix or remove the link")
            }
            throw .unreadable(path: path, reason: "no such file; check the path")
        }
        if isDirectory.boolValue {
            throw .unreadable(path: path, reason: "it is a folder; name the image files inside it, e.g. \(path)/*.jpg")
        }
        // A FIFO or device (/dev/zero) would be read forever.
        let type = (try? files.attributesOfItem(atPath: path)[.type]) as? FileAttributeType
        guard type == nil || type == .typeRegular || type == .typeSymbolicLink else {
            throw .unreadable(path: path, reason: "not a regular file")
        }
        guard files.isReadableFile(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied; check the file's permissions")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
