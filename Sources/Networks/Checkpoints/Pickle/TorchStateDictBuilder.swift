import Foundation

/// Turns the unpickled object of a `.pth` file into a `StateDict`, reading each tensor's data
/// from its storage through the tensor's offset and strides.
struct TorchStateDictBuilder {
    /// Where a storage's bytes are: `data[offset ..< offset + byteCount]`.
    struct StorageBytes {
        var data: Data
        var offset: Int
        var byteCount: Int
    }

    let path: String
    /// Finds the bytes of a storage (legacy: after the pickles; zip: an archive entry).
    let locate: (TorchStorageReference) throws -> StorageBytes
    /// Decoded storages by key, with the declaration they were decoded for: a later tensor that
    /// declares the same key with another type or element count is refused, since its view was
    /// bounds-checked against its own declaration, not against the data decoded earlier.
    private var cache: [String: (declared: TorchStorageReference, values: StoredTensor.Values)] = [:]

    init(path: String, locate: @escaping (TorchStorageReference) throws -> StorageBytes) {
        self.path = path
        self.locate = locate
    }

    /// The state dict in `root`: a dict of tensors, or a checkpoint dict holding one under
    /// `state_dict`, `model_state_dict` or `model` (common training-script layouts).
    mutating func build(_ root: PickleValue) throws -> StateDict {
        guard case .dict(var dict) = root else {
            throw CheckpointError.badPickle(path: path, detail: "the file holds a \(root.kind), not a state dict")
        }
        for wrapper in ["state_dict", "model_state_dict", "model"] {
            if case .dict(let inner)? = dict[wrapper] { dict = inner; break }
        }
        var result = StateDict(source: path)
        for (key, value) in dict.pairs {
            guard case .string(let name) = key else {
                throw CheckpointError.badPickle(path: path, detail: "a state-dict key is a \(key.kind), not a string")
            }
            guard case .tensor(let reference) = value else {
                throw CheckpointError.badPickle(path: path, detail: "entry '\(name)' is a \(value.kind), not a tensor")
            }
            result[name] = try tensor(name, reference)
        }
        return result
    }

    private mutating func tensor(_ name: String, _ reference: TorchTensorReference) throws -> StoredTensor {
        let shape = reference.shape
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard dim >= 0, !overflow else {
                throw CheckpointError.badTensor(path: path, tensor: name, detail: "invalid shape \(shape)")
            }
            count = product
        }
        guard let last = StridedGather.lastIndex(offset: reference.offset, shape: shape, strides: reference.strides) else {
            throw CheckpointError.badTensor(path: path, tensor: name, detail: "invalid offset \(reference.offset) or strides \(reference.strides) for shape \(shape)")
        }
        guard last < reference.storage.count else {
            throw CheckpointError.badTensor(path: path, tensor: name, detail: "view (offset \(reference.offset), shape \(shape), strides \(reference.strides)) reaches element \(last) of a storage of \(reference.storage.count)")
        }
        let storage = try values(of: reference.storage, for: name)
        let values: StoredTensor.Values
        switch storage {
        case .float32(let v): values = .float32(StridedGather.gather(v, offset: reference.offset, shape: shape, strides: reference.strides, count: count))
        case .float64(let v): values = .float64(StridedGather.gather(v, offset: reference.offset, shape: shape, strides: reference.strides, count: count))
        case .uint8(let v): values = .uint8(StridedGather.gather(v, offset: reference.offset, shape: shape, strides: reference.strides, count: count))
        case .int64(let v): values = .int64(StridedGather.gather(v, offset: reference.offset, shape: shape, strides: reference.strides, count: count))
        }
        return StoredTensor(shape: shape, values: values)
    }

    /// A storage's elements, decoded once and shared by every tensor viewing it.
    private mutating func values(of storage: TorchStorageReference, for name: String) throws -> StoredTensor.Values {
        if let cached = cache[storage.key] {
            guard cached.declared.type == storage.type, cached.declared.count == storage.count else {
                throw CheckpointError.badPickle(
                    path: path, detail: "tensor '\(name)' declares storage \(storage.key) as \(storage.count) \(storage.type.rawValue) elements, "
                        + "an earlier tensor as \(cached.declared.count) \(cached.declared.type.rawValue) elements")
            }
            return cached.values
        }
        let bytes = try locate(storage)
        let (needed, overflow) = storage.count.multipliedReportingOverflow(by: storage.type.elementSize)
        guard !overflow, needed <= bytes.byteCount else {
            throw CheckpointError.truncated(path: path, detail: "storage \(storage.key) of tensor '\(name)' should hold \(storage.count) \(storage.type.rawValue) elements but has \(bytes.byteCount) bytes")
        }
        let n = storage.count, d = bytes.data, o = bytes.offset
        let decoded: StoredTensor.Values?
        switch storage.type {
        case .float32: decoded = RawBytes.array(Float.self, from: d, offset: o, count: n).map { .float32($0) }
        case .float64: decoded = RawBytes.array(Double.self, from: d, offset: o, count: n).map { .float64($0) }
        case .int64: decoded = RawBytes.array(Int64.self, from: d, offset: o, count: n).map { .int64($0) }
        case .int32: decoded = RawBytes.array(Int32.self, from: d, offset: o, count: n).map { .int64($0.map { Int64($0) }) }
        case .uint8: decoded = RawBytes.array(UInt8.self, from: d, offset: o, count: n).map { .uint8($0) }
        case .float16: throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: "F16 (torch.HalfStorage)")
        case .bfloat16: throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: "BF16 (torch.BFloat16Storage)")
        }
        guard let decoded else {
            throw CheckpointError.truncated(path: path, detail: "storage \(storage.key) runs past the end of the file")
        }
        cache[storage.key] = (storage, decoded)
        return decoded
    }
}
