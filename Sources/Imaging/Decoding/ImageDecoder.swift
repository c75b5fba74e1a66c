import Foundation

/// Decodes JPEG, PNG and WebP files into upright 8-bit RGB.
///
/// The format comes from the file's first bytes, never its extension. Greyscale, CMYK/YCCK,
/// palettes and 16-bit samples are converted to 8-bit RGB; alpha is composited over white; the
/// EXIF orientation is applied; the first frame of an animated WebP is used. Nothing here traps on
/// bad input: every failure is a ``DecodeError`` naming the file.
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
        let decoded: FormatDecode
        let format: ImageFormat
        switch ImageFormat.sniff(bytes) {
        case .supported(.jpeg):
            format = .jpeg
            decoded = try JPEGDecoder.decode(bytes, path: name, limits: limits)
        case .supported(.png):
            format = .png
            decoded = try PNGDecoder.decode(bytes, path: name, limits: limits)
        case .supported(.webp):
            format = .webp
            decoded = try WebPDecoder.decode(bytes, path: name, limits: limits)
        case .unsupported(let what):
            throw .unsupported(path: name, what: what)
        case .unknown:
            throw .notAnImage(path: name, firstBytes: ImageFormat.describeStart(bytes))
        }
        return finish(decoded, format: format, limits: limits)
    }

    /// Decodes `data`; see ``decode(bytes:name:limits:)``.
    public static func decode(data: Data, name: String, limits: DecodeLimits = .default) throws(DecodeError) -> DecodedImage {
        try decode(bytes: [UInt8](data), name: name, limits: limits)
    }

    /// Applies the EXIF orientation and assembles the ``ImageInfo``.
    private static func finish(_ decoded: FormatDecode, format: ImageFormat, limits: DecodeLimits) -> DecodedImage {
        let orientation = decoded.exif.flatMap { ExifOrientation.parse(tiff: $0) } ?? .up
        let apply = limits.appliesOrientation && orientation != .up
        let info = ImageInfo(
            format: format, colourModel: decoded.colourModel, bitDepth: decoded.bitDepth,
            storedWidth: decoded.image.width, storedHeight: decoded.image.height,
            orientation: orientation, orientationApplied: apply, variant: decoded.variant,
            isAnimated: decoded.isAnimated, frameCount: decoded.frameCount, warnings: decoded.warnings)
        let image = apply ? decoded.image.applying(orientation) : decoded.image
        return DecodedImage(image: image, info: info)
    }

    /// The file's bytes, or an `unreadable` error that says why (missing, a folder, no permission).
    static func readBytes(path: String) throws(DecodeError) -> [UInt8] {
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
