import Tensors

/// Mean over all spatial positions: `[N, C, H, W]` → `[N, C]`. Its output is the embedding
/// both backbones hand to the classifier and to CoverLens's similarity search.
public struct GlobalAveragePool: Sendable {
    public init() {}

    public func forward(_ x: Tensor) -> Tensor { x.globalAveragePool() }
}
