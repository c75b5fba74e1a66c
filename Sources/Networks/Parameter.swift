import Tensors

/// A learnable tensor together with the gradient the backward pass accumulates into it.
///
/// Layers own their parameters; optimisers visit them by `name`, which is the PyTorch state-dict
/// key (`fc.weight`, `layer1.0.bn1.bias`), so optimiser state and checkpoints line up with
/// PyTorch's without a translation table.
public struct Parameter: Sendable {
    /// PyTorch state-dict key, e.g. `fc.weight`.
    public var name: String
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

    /// Number of scalar values.
    public var count: Int { value.count }
}
