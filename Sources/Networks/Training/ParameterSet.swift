import Tensors

/// A model's parameters in PyTorch's `named_parameters()` order, addressable by name.
///
/// Backward passes add into gradients by PyTorch name (`_blocks.3._bn1.weight`), so the set is the
/// one place a network's gradients accumulate, and optimisers and checkpoints see the same names.
public struct ParameterSet: Sendable {
    public private(set) var parameters: [Parameter] = []
    private var index: [String: Int] = [:]

    public init(_ parameters: [Parameter] = []) {
        for p in parameters { append(p) }
    }

    public mutating func append(_ parameter: Parameter) {
        precondition(index[parameter.name] == nil, "parameter \(parameter.name) twice")
        index[parameter.name] = parameters.count
        parameters.append(parameter)
    }

    public var names: [String] { parameters.map(\.name) }
    public func contains(_ name: String) -> Bool { index[name] != nil }

    public subscript(name: String) -> Parameter? {
        index[name].map { parameters[$0] }
    }

    /// `gradient(name) += delta`. A name the set does not hold is a programming error.
    public mutating func accumulate(_ name: String, _ delta: Tensor) {
        guard let i = index[name] else { preconditionFailure("no parameter \(name)") }
        parameters[i].gradient.add(delta)
    }

    /// In-place access to one gradient, for layers that add into it directly.
    public mutating func withGradient<R>(_ name: String, _ body: (inout Tensor) -> R) -> R {
        guard let i = index[name] else { preconditionFailure("no parameter \(name)") }
        return body(&parameters[i].gradient)
    }

    public mutating func zeroGradients() {
        for i in parameters.indices { parameters[i].zeroGradient() }
    }

    /// Visits every parameter in order (an optimiser step: `set.update { adam.update(&$0) }`).
    public mutating func update(_ body: (inout Parameter) -> Void) {
        for i in parameters.indices { body(&parameters[i]) }
    }
}
