import Tensors

/// Mean over all spatial positions: `[N, C, H, W]` → `[N, C]`. Its output is the embedding
/// both backbones hand to the classifier and to CoverLens's similarity search.
public struct GlobalAveragePool: Sendable {
    public init() {}

    public func forward(_ x: Tensor) -> Tensor { x.globalAveragePool() }
}

extension GlobalAveragePool {
    /// dy `[N, C]` → dx `[N, C, height, width]`, every position receiving dy / (H·W).
    public func backward(_ dy: Tensor, height: Int, width: Int) -> Tensor {
        Tensor.globalAveragePoolBackward(dy, height: height, width: width)
    }
}
