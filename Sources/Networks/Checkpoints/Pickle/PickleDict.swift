/// A pickled dict or `OrderedDict`, keeping insertion order (PyTorch's module order).
final class PickleDict {
    var pairs: [(key: PickleValue, value: PickleValue)] = []
    var depth = 1
    /// Set once the dict is inside a tuple, list or dict; see `PickleMachine.nest`.
    var isNested = false

    /// The value under string key `key`, if any.
    subscript(key: String) -> PickleValue? {
        for pair in pairs {
            if case .string(let k) = pair.key, k == key { return pair.value }
        }
        return nil
    }
}
