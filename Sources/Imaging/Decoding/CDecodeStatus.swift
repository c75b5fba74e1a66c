import CImageDecode

/// Turns what the CImageDecode shim returned into Swift values and typed errors. The only place,
/// with the decoders, that reads the shim's raw buffers.
enum CDecodeStatus {
    /// A shim entry point: `cl_png_decode`, `cl_tiff_decode`, or `cl_jpeg_decode` with its draft side bound.
    typealias ShimDecoder = (UnsafePointer<UInt8>?, Int, UInt64, UnsafeMutablePointer<cl_decoded>?) -> cl_status

    /// Runs `shim` on `bytes`, throws its failure as a `DecodeError`, hands a successful result
    /// to `convert`, and frees the C buffers whatever happens.
    static func run(_ shim: ShimDecoder, on bytes: [UInt8], path: String, limits: DecodeLimits,
                    convert: (cl_decoded) throws(DecodeError) -> FormatDecode) throws(DecodeError) -> FormatDecode {
        var result = cl_decoded()
        defer { cl_decoded_free(&result) }
        let status = bytes.withUnsafeBufferPointer { buffer in
            shim(buffer.baseAddress, buffer.count, limits.maxPixels, &result)
        }
        try check(status, result: &result, path: path, limits: limits)
        return try convert(result)
    }

    /// Throws the `DecodeError` for a failed status; returns for `CL_OK` with pixels present.
    private static func check(_ status: cl_status, result: inout cl_decoded, path: String,
                      limits: DecodeLimits) throws(DecodeError) {
        let message = text(result.message)
        switch status {
        case CL_OK:
            guard result.pixels != nil else { throw .corrupt(path: path, detail: "the decoder returned no pixels") }
        case CL_TRUNCATED:
            throw .truncated(path: path)
        case CL_TOO_LARGE:
            throw .tooLarge(path: path, width: Int(result.width), height: Int(result.height),
                            limitMegapixels: limits.maxMegapixels)
        case CL_UNSUPPORTED:
            throw .unsupported(path: path, what: message)
        case CL_OUT_OF_MEMORY:
            throw .corrupt(path: path, detail: message.isEmpty ? "out of memory" : message)
        default:
            throw .corrupt(path: path, detail: message.isEmpty ? "the decoder gave no reason" : message)
        }
    }

    /// A copy of the pixel buffer (`height × width × components` bytes).
    static func copyPixels(of result: cl_decoded) -> [UInt8] {
        let count = Int(result.width) * Int(result.height) * Int(result.components)
        guard let pixels = result.pixels, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pixels, count: count))
    }

    /// A copy of the pixel buffer as 16-bit samples (`sample_bytes` 2, native byte order).
    static func copyWideSamples(of result: cl_decoded) -> [UInt16] {
        let count = Int(result.width) * Int(result.height) * Int(result.components)
        guard let pixels = result.pixels, count > 0 else { return [] }
        return UnsafeRawPointer(pixels).withMemoryRebound(to: UInt16.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// A copy of the EXIF TIFF structure, if the file had one.
    static func copyExif(of result: cl_decoded) -> [UInt8]? {
        guard let exif = result.exif, result.exif_size > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: exif, count: result.exif_size))
    }

    /// A copy of the embedded ICC profile, if the file had one.
    static func copyICC(of result: cl_decoded) -> [UInt8]? {
        guard let icc = result.icc, result.icc_size > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: icc, count: result.icc_size))
    }

    /// The first warning, and how many more there were.
    static func warnings(of result: cl_decoded) -> [String] {
        let first = text(result.warning)
        guard result.warning_count > 0, !first.isEmpty else { return [] }
        let more = Int(result.warning_count) - 1
        return [more > 0 ? "\(first) (and \(more) more warnings)" : first]
    }

    /// A NUL-terminated C `char[N]` imported as a tuple.
    private static func text<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
