import Foundation

/// A value on the safe pickle machine's stack.
///
/// Only what PyTorch's `torch.save` produces has a case: scalars, strings, containers, a few
/// whitelisted globals, storages named by persistent id, and tensors described by
/// `_rebuild_tensor_v2`. No case holds or calls code: that is what makes the reader safe.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits (LONG1/LONG4), as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes(Data)
    case tuple([PickleValue], depth: Int)
    case list(PickleList)
    case dict(PickleDict)
    /// A whitelisted `module.name` global, not yet called.
    case global(PickleGlobal)
    /// A tensor storage named by a persistent id: data lives outside the pickle.
    case storage(TorchStorageReference)
    case tensor(TorchTensorReference)

    /// Nesting depth: bounded so a crafted pickle cannot build a structure whose release
    /// recurses deep enough to overflow the stack.
    var depth: Int {
        switch self {
        case .tuple(_, let depth): depth
        case .list(let list): list.depth
        case .dict(let dict): dict.depth
        default: 0
        }
    }

    /// A short name for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let g): "global \(g.qualifiedName)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// A pickled list; a reference type because APPEND(S) mutate it after it is memoised.
final class PickleList {
    var items: [PickleValue] = []
    var depth = 1
}

/// A pickled dict or `OrderedDict`, keeping insertion order (PyTorch's module order).
final class PickleDict {
    var pairs: [(key: PickleValue, value: PickleValue)] = []
    var depth = 1

    /// The value under string key `key`, if any.
    subscript(key: String) -> PickleValue? {
        for pair in pairs {
            if case .string(let k) = pair.key, k == key { return pair.value }
        }
        return nil
    }
}

/// The globals the reader resolves. Anything else in a GLOBAL opcode is refused, which is
/// what keeps a malicious `.pth` (e.g. one naming `os.system`) from doing anything at all.
enum PickleGlobal: String, CaseIterable {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensor = "torch._utils._rebuild_tensor_v2"
    case rebuildParameter = "torch._utils._rebuild_parameter"
    case floatStorage = "torch.FloatStorage"
    case doubleStorage = "torch.DoubleStorage"
    case halfStorage = "torch.HalfStorage"
    case bfloat16Storage = "torch.BFloat16Storage"
    case longStorage = "torch.LongStorage"
    case intStorage = "torch.IntStorage"
    case byteStorage = "torch.ByteStorage"

    var qualifiedName: String { rawValue }

    /// The storage element type, for storage classes.
    var storageType: TorchStorageType? {
        switch self {
        case .floatStorage: .float32
        case .doubleStorage: .float64
        case .halfStorage: .float16
        case .bfloat16Storage: .bfloat16
        case .longStorage: .int64
        case .intStorage: .int32
        case .byteStorage: .uint8
        case .orderedDict, .rebuildTensor, .rebuildParameter: nil
        }
    }
}

/// Element type of a PyTorch storage.
enum TorchStorageType: String {
    case float32 = "FloatStorage", float64 = "DoubleStorage", float16 = "HalfStorage",
         bfloat16 = "BFloat16Storage", int64 = "LongStorage", int32 = "IntStorage", uint8 = "ByteStorage"

    var elementSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .float16, .bfloat16: 2
        case .uint8: 1
        }
    }
}

/// `('storage', torch.FloatStorage, key, location, numel)`: where a tensor's data lives.
struct TorchStorageReference {
    var type: TorchStorageType
    var key: String
    /// Number of elements (not bytes) the storage holds.
    var count: Int
}

/// `_rebuild_tensor_v2(storage, offset, size, stride, …)`: a strided view into a storage.
struct TorchTensorReference {
    var storage: TorchStorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}
