import Tensors

/// Dropout: zeroes a fraction `rate` of values while training (scaling the rest by 1/(1−rate)),
/// identity at inference. Only the inference side exists so far; the training issue adds the
/// seeded mask and its backward.
public struct Dropout: Sendable {
    public let rate: Float

    public init(rate: Float) {
        self.rate = rate
    }

    /// Inference: the input unchanged.
    public func forward(_ x: Tensor) -> Tensor { x }
}
