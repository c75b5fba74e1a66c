import Foundation
import Support
import Tensors

/// A safetensors file: named tensors in data order plus string metadata.
///
/// The format (https://github.com/huggingface/safetensors) is what CoverLens stores models in:
/// no code runs on load, every byte is accounted for by the header, and PyTorch reads it back.
/// Reading validates the whole header before allocating (see `SafeTensorsHeader`); writing is
/// atomic (through Tensors' `AtomicFile`).
public struct SafeTensors: Equatable, Sendable {
    public var tensors: StateDict
    public var metadata: [String: String]

    public init(tensors: StateDict, metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads `url`. Tensors come in the order of their data in the file.
    public init(contentsOf url: URL) throws {
        let file: Data
        do {
            file = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CheckpointError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(bytes: file, path: url.path)
    }

    /// Parses safetensors bytes already in memory; `path` names them in errors.
    public init(bytes file: Data, path: String) throws {
        let header = try SafeTensorsHeader(file: file, path: path)
        var tensors = StateDict(source: path)
        for entry in header.entries {
            let offset = header.dataStart + entry.span.lowerBound
            let values: StoredTensor.Values?
            switch entry.dtype {
            case .float32: values = RawBytes.array(Float.self, from: file, offset: offset, count: entry.count).map { .float32($0) }
            case .float64: values = RawBytes.array(Double.self, from: file, offset: offset, count: entry.count).map { .float64($0) }
            case .uint8: values = RawBytes.array(UInt8.self, from: file, offset: offset, count: entry.count).map { .uint8($0) }
            case .int64: values = RawBytes.array(Int64.self, from: file, offset: offset, count: entry.count).map { .int64($0) }
            }
            guard let values else {
                throw CheckpointError.truncated(path: path, detail: "tensor '\(entry.name)' lies past the end of the file")
            }
            tensors[entry.name] = StoredTensor(shape: entry.shape, values: values)
        }
        self.init(tensors: tensors, metadata: header.metadata)
    }

    /// The named tensor as Float32, or `CheckpointError.missingTensor`.
    public func tensor(_ name: String) throws -> Tensor {
        try tensors.tensor(name)
    }

    public subscript(name: String) -> StoredTensor? { tensors[name] }

    /// The file's bytes: header keys in order (`__metadata__` first), data contiguous in the
    /// tensors' order, the header padded with spaces so the data starts 8-byte aligned.
    public func serialized(path: String = "safetensors") throws -> [Data] {
        var json = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var chunks: [Data] = []
        for (name, tensor) in tensors.entries {
            guard name != "__metadata__", !name.isEmpty else {
                throw CheckpointError.invalidInput(path: path, detail: "'\(name)' cannot be a tensor name")
            }
            let bytes = Self.bytes(of: tensor.values)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes.count)]}")
            offset += bytes.count
            chunks.append(bytes)
        }
        json += fields.joined(separator: ",") + "}"
        var header = Data(json.utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        let length = RawBytes.data([UInt64(header.count).littleEndian])
        return [length, header] + chunks
    }

    /// Writes the file atomically (temporary file, fsync, rename: a crash never leaves a torn model).
    public func write(to url: URL) throws {
        let chunks = try serialized(path: url.path)
        do {
            try AtomicFile.write(chunks: chunks, to: url)
        } catch let error as AtomicFile.WriteError {
            throw CheckpointError.writeFailed(path: error.path, reason: error.reason)
        }
    }

    private static func bytes(of values: StoredTensor.Values) -> Data {
        switch values {
        case .float32(let v): RawBytes.data(v)
        case .float64(let v): RawBytes.data(v)
        case .uint8(let v): Data(v)
        case .int64(let v): RawBytes.data(v)
        }
    }
}

/// `s` as a JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
