import Support
import Tensors

/// Max pooling over square windows. x: `[N, C, H, W]` → `[N, C, Ho, Wo]`. ResNet's stem uses
/// 3×3, stride 2, padding 1 (padded positions never win the max).
public struct MaxPool2d: Sendable {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Padding

    public init(kernelSize: Int, stride: Int, padding: Padding) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public func forward(_ x: Tensor, compute: ComputeContext) -> Tensor {
        let g = padding.geometry(height: x.shape[2], width: x.shape[3], kernel: kernelSize, stride: stride)
        return Tensor.maxPool(x, geometry: g, compute: compute)
    }
}

extension MaxPool2d {
    /// dy `[N, C, Ho, Wo]` and the forward's input x `[N, C, H, W]` → dx: each window's gradient goes
    /// to its (first) maximum.
    public func backward(_ dy: Tensor, input x: Tensor, compute: ComputeContext) -> Tensor {
        let g = padding.geometry(height: x.shape[2], width: x.shape[3], kernel: kernelSize, stride: stride)
        return Tensor.maxPoolBackward(dy, input: x, geometry: g, compute: compute)
    }
}
