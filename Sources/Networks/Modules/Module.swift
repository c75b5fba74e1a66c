import Tensors

/// A layer or a network that owns parameters and buffers.
///
/// Each module implements one walk, `visit`, over its tensors in PyTorch's `state_dict()` order
/// (module order: a convolution's weight, then its BatchNorm's weight, bias and running statistics,
/// …). Every whole-model operation is that walk: loading a state dict, exporting one, an optimiser
/// step, zeroing gradients, freezing.
public protocol Module {
    /// Visits every parameter and every buffer in state-dict order, in place.
    mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void)
}

/// A plain list of parameters is a module too (an optimiser step or clipping over a hand-picked list).
extension Array: Module where Element == Parameter {
    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        for i in indices { parameters(&self[i]) }
    }
}

extension Module {
    /// Visits the parameters in place (an optimiser step: `model.updateParameters { adam.update(&$0) }`).
    public mutating func updateParameters(_ body: (inout Parameter) -> Void) {
        visit(parameters: body, buffers: { _ in })
    }

    public mutating func zeroGradients() {
        updateParameters { $0.zeroGradient() }
    }

    /// The parameters in module order (PyTorch's `named_parameters()`), copied.
    public var parameters: [Parameter] {
        var copy = self, result: [Parameter] = []
        copy.visit(parameters: { result.append($0) }, buffers: { _ in })
        return result
    }

    /// The buffers (BatchNorm running statistics) in module order, copied.
    public var buffers: [Buffer] {
        var copy = self, result: [Buffer] = []
        copy.visit(parameters: { _ in }, buffers: { result.append($0) })
        return result
    }

    /// Parameters and buffers in module order, as Float32 (PyTorch's `state_dict()` without
    /// `num_batches_tracked`).
    public func stateDict(source: String = "state dict") -> StateDict {
        var copy = self, dict = StateDict(source: source)
        copy.visit(parameters: { dict[$0.name] = StoredTensor($0.value) }, buffers: { dict[$0.name] = StoredTensor($0.value) })
        return dict
    }

    /// Every tensor name with its shape, in module order.
    public var tensorShapes: [(name: String, shape: [Int])] {
        stateDict().entries.map { ($0.name, $0.tensor.shape) }
    }

    /// Replaces each parameter's and buffer's value with the tensor of the same name in `dict`.
    /// Names the module lacks are left alone; a tensor of the wrong shape is not used. Returns what
    /// did not fit, for the caller to report as strictly as it needs.
    @discardableResult
    public mutating func load(_ dict: StateDict) -> StateDictMismatch {
        var problems: [StateDictMismatch.Problem] = []
        var known: Set<String> = []
        func take(_ name: String, _ value: inout Tensor) {
            known.insert(name)
            guard let stored = dict[name] else { return problems.append(.missing(name: name, shape: value.shape)) }
            guard stored.shape == value.shape else {
                return problems.append(.misshapen(name: name, found: stored.shape, expected: value.shape))
            }
            value = stored.floatTensor
        }
        visit(parameters: { take($0.name, &$0.value) }, buffers: { take($0.name, &$0.value) })
        problems += dict.names.filter { !known.contains($0) && !$0.hasSuffix("num_batches_tracked") }.map { .unexpected(name: $0) }
        return StateDictMismatch(problems: problems)
    }
}

/// What `Module.load` could not use, in PyTorch's strict `load_state_dict` terms: every missing and
/// misshapen tensor in module order, then every name in the state dict the module does not have
/// (`num_batches_tracked` is neither kept nor missed).
public struct StateDictMismatch: Sendable {
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The module's tensor is not in the state dict (it kept its value).
        case missing(name: String, shape: [Int])
        case misshapen(name: String, found: [Int], expected: [Int])
        /// The state dict's tensor is not the module's.
        case unexpected(name: String)

        public var description: String {
            switch self {
            case .missing(let name, let shape): "missing tensor '\(name)' \(shape)"
            case .misshapen(let name, let found, let expected): "'\(name)' has shape \(found), expected \(expected)"
            case .unexpected(let name): "unexpected tensor '\(name)'"
            }
        }
    }

    public var problems: [Problem]

    /// The problems that mean a tensor there cannot be this module's (for a partial load, where
    /// missing and extra names are expected).
    public var misshapen: [Problem] { problems.filter { if case .misshapen = $0 { true } else { false } } }
    public var missing: [String] { problems.compactMap { if case .missing(let name, _) = $0 { name } else { nil } } }
}
