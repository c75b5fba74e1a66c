import Tensors

/// Named tensors in a fixed order, looked up by name: PyTorch's `state_dict()` in Swift.
///
/// Order matters: it is the file's order, which is PyTorch's module order for `.pth` files, so a
/// model can report "first missing key" the way PyTorch does and writes round-trip unchanged.
/// `source` (usually the file path) names the origin in error messages.
public struct StateDict: Equatable, Sendable {
    public private(set) var names: [String] = []
    private var byName: [String: StoredTensor] = [:]
    public var source: String

    public init(source: String = "state dict") {
        self.source = source
    }

    /// Entries in order; a later duplicate name replaces the earlier value in place.
    public init(_ entries: [(String, StoredTensor)], source: String = "state dict") {
        self.source = source
        for (name, tensor) in entries { self[name] = tensor }
    }

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    /// Entries in order.
    public var entries: [(name: String, tensor: StoredTensor)] {
        names.compactMap { name in byName[name].map { (name, $0) } }
    }

    /// Lookup by name; assigning appends a new name at the end or replaces an existing value in
    /// place, assigning nil removes the entry.
    public subscript(name: String) -> StoredTensor? {
        get { byName[name] }
        set {
            if let newValue {
                if byName.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if byName.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The named tensor as Float32, or `CheckpointError.missingTensor`.
    public func tensor(_ name: String) throws -> Tensor {
        guard let stored = byName[name] else { throw CheckpointError.missingTensor(path: source, tensor: name) }
        return stored.floatTensor
    }

    /// A copy keeping only the entries `isIncluded` accepts, in order.
    public func filter(_ isIncluded: (String, StoredTensor) -> Bool) -> StateDict {
        StateDict(entries.filter { isIncluded($0.name, $0.tensor) }.map { ($0.name, $0.tensor) }, source: source)
    }

    /// A copy with every name passed through `transform`, in order (e.g. stripping a prefix).
    public func renamed(_ transform: (String) -> String) -> StateDict {
        StateDict(entries.map { (transform($0.name), $0.tensor) }, source: source)
    }
}
