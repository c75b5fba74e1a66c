/// What the safe pickle machine does for REDUCE and BINPERSID: the few PyTorch calls a state
/// dict needs, each turned into a description (`PickleValue`) instead of being executed.
enum TorchReductions {
    /// `callable(*args)` for whitelisted callables: `OrderedDict()`, `_rebuild_tensor_v2(...)`,
    /// `_rebuild_parameter(...)`. Anything else is an error built by `describe`.
    static func reduce(_ callable: PickleValue, _ args: PickleValue,
                       describe: (String) -> CheckpointError) throws -> PickleValue {
        guard case .global(let function) = callable else { throw describe("cannot call a \(callable.kind)") }
        guard case .tuple(let arguments, _) = args else { throw describe("\(function.qualifiedName) called with a \(args.kind)") }
        switch function {
        case .orderedDict:
            guard arguments.isEmpty else { throw describe("OrderedDict called with arguments") }
            return .dict(PickleDict())
        case .rebuildTensor:
            return .tensor(try tensor(arguments, describe: describe))
        case .rebuildParameter:
            guard let data = arguments.first, case .tensor = data else {
                throw describe("_rebuild_parameter without a tensor")
            }
            return data
        default:
            throw describe("calling \(function.qualifiedName) is not supported")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[, metadata])`.
    private static func tensor(_ arguments: [PickleValue], describe: (String) -> CheckpointError) throws -> TorchTensorReference {
        guard arguments.count >= 4, case .storage(let storage) = arguments[0], case .int(let offset) = arguments[1] else {
            throw describe("_rebuild_tensor_v2 needs (storage, offset, size, stride, …)")
        }
        guard let shape = integers(arguments[2]), let strides = integers(arguments[3]), shape.count == strides.count else {
            throw describe("_rebuild_tensor_v2 size and stride must be tuples of integers of equal length")
        }
        return TorchTensorReference(storage: storage, offset: offset, shape: shape, strides: strides)
    }

    /// `('storage', torch.XStorage, key, location, numel[, …])` → a storage reference.
    static func persistentStorage(_ pid: PickleValue, describe: (String) -> CheckpointError) throws -> PickleValue {
        guard case .tuple(let items, _) = pid, items.count >= 5, case .string("storage") = items[0] else {
            throw describe("persistent id \(pid.kind) is not ('storage', type, key, location, numel)")
        }
        guard case .global(let storageClass) = items[1], let type = storageClass.storageType else {
            throw describe("persistent id names \(items[1].kind), not a storage class")
        }
        guard case .string(let key) = items[2], case .int(let count) = items[4], count >= 0 else {
            throw describe("persistent id needs a string key and a non-negative element count")
        }
        return .storage(TorchStorageReference(type: type, key: key, count: count))
    }

    private static func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items, _) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .int(let v) = item else { return nil }
            result.append(v)
        }
        return result
    }
}
