import Tensors

/// A learnable tensor together with the gradient the backward pass accumulates into it.
///
/// Layers own their parameters; `name` is the PyTorch state-dict key (`fc.weight`,
/// `layer1.0.bn1.bias`), given once when the model tree is built (`ModulePath`), so optimiser state
/// and checkpoints line up with PyTorch's without a translation table.
public struct Parameter: Sendable {
    /// PyTorch state-dict key, e.g. `fc.weight`.
    public let name: String
    /// The current values, in PyTorch's layout.
    public var value: Tensor
    /// dL/dvalue, same shape as `value`. Backward passes *add* to it (as PyTorch does), so a
    /// training step starts with `zeroGradient()`.
    public var gradient: Tensor
    /// Frozen parameters still receive gradients (Grad-CAM and the reference need them) but
    /// optimisers leave their values alone — PyTorch's `requires_grad`-less parameter group.
    public var isTrainable: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.isTrainable = isTrainable
    }

    /// Resets the gradient to zero in place, keeping its storage.
    public mutating func zeroGradient() {
        if gradient.shape != value.shape {
            gradient = Tensor(shape: value.shape)
            return
        }
        for i in gradient.storage.indices { gradient.storage[i] = 0 }
    }

    /// `gradient += delta` (a layer's backward adding its share).
    public mutating func accumulateGradient(_ delta: Tensor) {
        gradient.add(delta)
    }

    /// Number of scalar values.
    public var count: Int { value.count }
    public var shape: [Int] { value.shape }
}

/// A tensor a module keeps but does not learn by gradient: BatchNorm's running statistics
/// (PyTorch's *buffers*). Named like a parameter, so it is saved and loaded with the model.
public struct Buffer: Sendable {
    /// PyTorch state-dict key, e.g. `bn1.running_mean`.
    public let name: String
    public var value: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
    }
}
