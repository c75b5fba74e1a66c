import Tensors

/// A rule that turns gradients into parameter updates, with PyTorch's exact semantics.
///
/// State (moments, momentum buffers, step counts) is kept per parameter *name*, like PyTorch's
/// `optimizer.state[param]`, so the order in which a model hands out its parameters does not matter,
/// and a checkpoint written with `state()` resumes bit-exactly through `init(restoring:)`.
public protocol Optimizer: Sendable {
    /// The learning rate of the next update; schedules set it before each epoch or step.
    var learningRate: Double { get set }

    /// Applies one update to `parameter` from its accumulated gradient. Frozen parameters
    /// (`isTrainable == false`) are left alone and their state does not advance, as in PyTorch
    /// when a parameter is not in the optimiser.
    mutating func update(_ parameter: inout Parameter)

    /// The same update, its element-wise work spread over `compute`'s workers where the optimiser
    /// can (Adam's can; the result is the same as `update(_:)`'s).
    mutating func update(_ parameter: inout Parameter, compute: ComputeContext)

    /// Everything needed to continue training later.
    func state() -> OptimizerState

    /// Continues from a saved state; throws if it was written by another kind of optimiser.
    init(restoring state: OptimizerState) throws
}

extension Optimizer {
    public mutating func update(_ parameter: inout Parameter, compute: ComputeContext) {
        update(&parameter)
    }

    /// One optimiser step over a module's (or a parameter list's) parameters (`optimizer.step()` in PyTorch).
    public mutating func step(_ parameters: inout some Module) {
        parameters.updateParameters { update(&$0) }
    }
}
