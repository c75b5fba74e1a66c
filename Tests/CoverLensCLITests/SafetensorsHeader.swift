import Foundation

/// The JSON header at the start of a safetensors file: an 8-byte little-endian length, then that
/// many bytes of JSON (this target imports no CoverLens module, so it reads the format itself).
struct SafetensorsHeader {
    let json: [String: Any]
    /// Bytes after the header: the tensors' data.
    let dataBytes: Int

    /// Nil when `data` is too short for its stated header or the header is not a JSON object.
    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { return nil }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8),
              let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(length))])) as? [String: Any]
        else { return nil }
        self.json = json
        dataBytes = bytes.count - 8 - Int(length)
    }
}
