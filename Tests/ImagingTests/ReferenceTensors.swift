import Foundation

/// A minimal safetensors reader for the reference fixtures (F32 and U8 only): 8-byte little-endian
/// header length, JSON header of `{name: {dtype, shape, data_offsets}}`, then raw little-endian data.
/// The full checkpoint reader lives in `Networks`; tests of `Imaging` must not depend on it.
struct ReferenceTensors {
    struct Entry { let dtype: String; let shape: [Int]; let range: Range<Int> }

    let data: Data
    let entries: [String: Entry]

    init(contentsOf url: URL) throws {
        data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let json = try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as? [String: Any] ?? [:]
        var entries = [String: Entry]()
        for (name, value) in json where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int] else { continue }
            entries[name] = Entry(dtype: dtype, shape: shape, range: 8 + headerLength + offsets[0] ..< 8 + headerLength + offsets[1])
        }
        self.entries = entries
    }

    func bytes(_ name: String) -> [UInt8]? {
        guard let entry = entries[name], entry.dtype == "U8" else { return nil }
        return [UInt8](data[entry.range])
    }

    func floats(_ name: String) -> [Float]? {
        guard let entry = entries[name], entry.dtype == "F32" else { return nil }
        return data[entry.range].withUnsafeBytes { raw in
            (0 ..< entry.range.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    func shape(_ name: String) -> [Int]? { entries[name]?.shape }
}
