import Foundation
import Imaging

/// Turns a cover file's bytes into pixels.
///
/// Every decode of a cover file in a scoring run, from the scan to the report's thumbnails, goes
/// through the one decoder the run was given, so a test can count them: each cover is decoded once
/// per run (`CoverPictures` keeps what the report needs from that decode).
public struct CoverDecoder: Sendable {
    /// Decodes `bytes`, read from `file`; `name` is how error messages name the file.
    public var decode: @Sendable (_ bytes: [UInt8], _ file: URL, _ name: String, _ limits: DecodeLimits) throws -> DecodedImage

    public init(_ decode: @escaping @Sendable (_ bytes: [UInt8], _ file: URL, _ name: String, _ limits: DecodeLimits) throws -> DecodedImage) {
        self.decode = decode
    }

    /// `ImageDecoder`, which tells the format from the bytes.
    public static let standard = CoverDecoder { bytes, _, name, limits in
        try ImageDecoder.decode(bytes: bytes, name: name, limits: limits)
    }

    /// Reads (refusing folders, FIFOs and devices, as `ImageDecoder` does) and decodes `file`;
    /// errors name it by its path.
    public func decode(contentsOf file: URL, limits: DecodeLimits = .default) throws -> DecodedImage {
        try decode(try ImageDecoder.readBytes(path: file.path), file, file.path, limits)
    }
}
