import Foundation

/// The parsed and validated JSON header of a safetensors file.
///
/// Layout: 8-byte little-endian header length N, N bytes of JSON (padded with spaces), then the
/// data section. Everything a hostile file could lie about is checked here, before any tensor
/// memory is allocated: the header length against a cap and the file size, every shape for
/// negative dimensions and overflow, every span against its dtype × element count, and the
/// spans together must tile the data section exactly (no overlap, no gap, no missing bytes).
struct SafeTensorsHeader {
    struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        var count: Int
        /// Byte range relative to the start of the data section.
        var span: Range<Int>
    }

    /// Larger headers are refused: a 100 MB JSON header is far beyond any real model's.
    static let maximumHeaderLength = 100_000_000

    /// Entries sorted by their position in the data section.
    var entries: [Entry]
    var metadata: [String: String]
    /// Byte offset of the data section in the file.
    var dataStart: Int

    /// Parses the header of `file` (the whole file's bytes, usually memory-mapped).
    init(file: Data, path: String) throws {
        guard file.count >= 8, let length64 = RawBytes.integer(UInt64.self, from: file, offset: 0) else {
            throw CheckpointError.truncated(path: path, detail: "\(file.count) bytes, a safetensors file starts with an 8-byte header length")
        }
        guard length64 <= UInt64(Self.maximumHeaderLength) else {
            throw CheckpointError.badHeader(path: path, detail: "header length \(length64) is over the \(Self.maximumHeaderLength)-byte limit (not a safetensors file?)")
        }
        let length = Int(length64)
        guard length <= file.count - 8 else {
            throw CheckpointError.truncated(path: path, detail: "the header needs \(length) bytes but only \(file.count - 8) follow the length field")
        }
        let json = file.subdata(in: file.startIndex + 8 ..< file.startIndex + 8 + length)
        guard json.first(where: { $0 != 0x20 }) == UInt8(ascii: "{") else {
            throw CheckpointError.badHeader(path: path, detail: "the header is not a JSON object")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch {
            throw CheckpointError.badHeader(path: path, detail: "malformed JSON (\(Self.describe(error)))")
        }
        dataStart = 8 + length
        metadata = raw.metadata
        entries = try raw.entries.map { try Self.validate($0.key, $0.value, path: path) }
        entries.sort { ($0.span.lowerBound, $0.span.upperBound, $0.name) < ($1.span.lowerBound, $1.span.upperBound, $1.name) }
        try Self.checkTiling(entries, dataSize: file.count - dataStart, path: path)
    }

    private static func validate(_ name: String, _ raw: RawEntry, path: String) throws -> Entry {
        guard let dtype = DType(rawValue: raw.dtype) else {
            throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: raw.dtype)
        }
        var count = 1
        for dim in raw.shape {
            guard dim >= 0 else { throw CheckpointError.badTensor(path: path, tensor: name, detail: "negative dimension in shape \(raw.shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw CheckpointError.badTensor(path: path, tensor: name, detail: "shape \(raw.shape) has too many elements") }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw CheckpointError.badTensor(path: path, tensor: name, detail: "shape \(raw.shape) has too many bytes") }
        guard raw.dataOffsets.count == 2, raw.dataOffsets[0] >= 0, raw.dataOffsets[0] <= raw.dataOffsets[1] else {
            throw CheckpointError.badTensor(path: path, tensor: name, detail: "data_offsets \(raw.dataOffsets) is not [begin, end] with 0 <= begin <= end")
        }
        let span = raw.dataOffsets[0] ..< raw.dataOffsets[1]
        guard span.count == bytes else {
            throw CheckpointError.badTensor(path: path, tensor: name, detail: "\(dtype.rawValue) \(raw.shape) needs \(bytes) bytes but data_offsets \(raw.dataOffsets) span \(span.count)")
        }
        return Entry(name: name, dtype: dtype, shape: raw.shape, count: count, span: span)
    }

    /// Sorted spans must start at 0, follow each other without gap or overlap, and end exactly
    /// at the end of the file: anything else is a damaged or crafted file.
    private static func checkTiling(_ entries: [Entry], dataSize: Int, path: String) throws {
        var end = 0
        var previous = "the start of the data section"
        for entry in entries {
            if entry.span.lowerBound < end {
                throw CheckpointError.badTensor(path: path, tensor: entry.name, detail: "data_offsets overlap \(previous)")
            }
            if entry.span.lowerBound > end {
                throw CheckpointError.badTensor(path: path, tensor: entry.name, detail: "\(entry.span.lowerBound - end) unused bytes between \(previous) and this tensor")
            }
            end = entry.span.upperBound
            previous = "tensor '\(entry.name)'"
        }
        if end > dataSize {
            throw CheckpointError.truncated(path: path, detail: "the tensors need \(end) data bytes, the file has \(dataSize)")
        }
        if end < dataSize {
            throw CheckpointError.badHeader(path: path, detail: "\(dataSize - end) bytes after the last tensor belong to no tensor")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            return where_.isEmpty ? context.debugDescription : "\(where_): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// The header as JSON: `__metadata__` (string → string) plus one object per tensor.
private struct RawHeader: Decodable {
    var metadata: [String: String] = [:]
    var entries: [String: RawEntry] = [:]

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries[key.stringValue] = try container.decode(RawEntry.self, forKey: key)
            }
        }
    }
}

private struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
