/// A pickled list; a reference type because APPEND(S) mutate it after it is memoised.
final class PickleList {
    var items: [PickleValue] = []
    var depth = 1
    /// Set once the list is inside a tuple, list or dict; see `PickleMachine.nest`.
    var isNested = false
}
