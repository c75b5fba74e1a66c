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
