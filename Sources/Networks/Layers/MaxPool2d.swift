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
        Tensor.maxPool(x, geometry: geometry(x), compute: compute)
    }
}

extension MaxPool2d {
    /// The training forward: y as `forward` and which input position won each window, for `backward`.
    public func trainingForward(_ x: Tensor, compute: ComputeContext) -> (output: Tensor, winners: [Int32]) {
        Tensor.maxPoolWithWinners(x, geometry: geometry(x), compute: compute)
    }

    /// dy `[N, C, Ho, Wo]` and the training forward's winners → dx `inputShape`: each window's gradient
    /// goes to its (first) maximum.
    public func backward(_ dy: Tensor, winners: [Int32], inputShape: [Int], compute: ComputeContext) -> Tensor {
        Tensor.maxPoolBackward(dy, winners: winners, inputShape: inputShape, compute: compute)
    }

    /// dy and the forward's input x `[N, C, H, W]` → dx, the winners found again from x.
    public func backward(_ dy: Tensor, input x: Tensor, compute: ComputeContext) -> Tensor {
        backward(dy, winners: trainingForward(x, compute: compute).winners, inputShape: x.shape, compute: compute)
    }

    private func geometry(_ x: Tensor) -> ConvolutionGeometry {
        padding.geometry(height: x.shape[2], width: x.shape[3], kernel: kernelSize, stride: stride)
    }
}
