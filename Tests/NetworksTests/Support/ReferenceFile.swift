import Foundation
import Tensors

/// A minimal safetensors reader for the test fixtures (F32 / F64 only, values widened to Double).
/// Kept private to the tests so they do not depend on the checkpoint code they may one day check.
struct ReferenceFile {
    struct Entry { var shape: [Int]; var values: [Double] }
    private(set) var entries: [String: Entry] = [:]

    /// `Tests/Fixtures/reference/<name>`, found from this source file's location.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference/\(name)")
    }

    init(_ name: String) throws {
        let url = Self.fixture(name)
        let data = try Data(contentsOf: url)
        guard data.count >= 8 else { throw FixtureError("\(url.path): shorter than a safetensors header") }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        guard 8 + headerLength <= data.count,
              let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any]
        else { throw FixtureError("\(url.path): unreadable safetensors header") }
        let base = 8 + headerLength
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw FixtureError("\(url.path): malformed entry \(name)") }
            let bytes = data.subdata(in: (base + offsets[0])..<(base + offsets[1]))
            let values: [Double]
            switch dtype {
            case "F32": values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian)) } }
            case "F64": values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 8)).map { Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self).littleEndian) } }
            default: continue
            }
            entries[name] = Entry(shape: shape, values: values)
        }
    }

    func values(_ name: String) throws -> [Double] {
        guard let entry = entries[name] else { throw FixtureError("reference tensor \(name) missing") }
        return entry.values
    }

    func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw FixtureError("reference tensor \(name) missing") }
        return Tensor(shape: entry.shape, storage: entry.values.map { Float($0) })
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Cosine similarity of two equally long vectors, in Double.
func cosine(_ a: [Double], _ b: [Double]) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
    return dot / (na.squareRoot() * nb.squareRoot())
}
