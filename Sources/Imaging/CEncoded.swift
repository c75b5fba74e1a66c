import CImageDecode

/// Runs one of CImageDecode's encoders and takes what it produced (the bytes, or the library's
/// message), freeing the C buffer whatever happens: the one place that reads a `cl_encoded`.
enum CEncoded {
    static func run(_ encode: (UnsafeMutablePointer<cl_encoded>) -> Int32) -> Result<[UInt8], Failure> {
        var result = cl_encoded()
        defer { cl_encoded_free(&result) }
        let status = encode(&result)
        guard status == 0, let bytes = result.bytes else {
            let message = withUnsafeBytes(of: result.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            return .failure(Failure(message: message.isEmpty ? "unknown error" : message))
        }
        return .success(Array(UnsafeBufferPointer(start: bytes, count: result.size)))
    }

    struct Failure: Error { var message: String }
}
