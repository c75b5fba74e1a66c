import Tensors

/// ResNet's two-convolution residual block:
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, shortcut = identity or 1×1 conv + BN.
///
/// x: `[N, Cin, H, W]` → `[N, Cout, H/s, W/s]`. The residual add and the final ReLU run inside
/// conv2's fused epilogue.
public struct BasicBlock: Sendable {
    public let conv1: ConvBNActivation   // 3×3 stride s, ReLU
    public let conv2: ConvBNActivation   // 3×3, ReLU after the residual add
    public let downsample: ConvBNActivation?   // 1×1 stride s, no activation

    public func forward(_ x: Tensor, workers: Int) -> Tensor {
        let shortcut = downsample?.forward(x, workers: workers) ?? x
        let h = conv1.forward(x, workers: workers)
        return conv2.forward(h, residual: shortcut, workers: workers)
    }

    /// torchvision's names under `prefix` (e.g. "layer2.0") in module order.
    static func parameterShapes(prefix: String, inChannels: Int, outChannels: Int, stride: Int) -> [(name: String, shape: [Int])] {
        var shapes = convBNShapes(conv: "\(prefix).conv1", bn: "\(prefix).bn1", out: outChannels, inPerGroup: inChannels, kernel: 3)
        shapes += convBNShapes(conv: "\(prefix).conv2", bn: "\(prefix).bn2", out: outChannels, inPerGroup: outChannels, kernel: 3)
        if stride != 1 || inChannels != outChannels {
            shapes += convBNShapes(conv: "\(prefix).downsample.0", bn: "\(prefix).downsample.1",
                                   out: outChannels, inPerGroup: inChannels, kernel: 1)
        }
        return shapes
    }

    init(_ w: WeightLoader, prefix: String, inChannels: Int, outChannels: Int, stride: Int) throws {
        let (eps, momentum) = (ResNet18.batchNormEps, ResNet18.batchNormMomentum)
        conv1 = try w.convBN(conv: "\(prefix).conv1", bn: "\(prefix).bn1", stride: stride, padding: .symmetric(1),
                             eps: eps, momentum: momentum, activation: .relu)
        conv2 = try w.convBN(conv: "\(prefix).conv2", bn: "\(prefix).bn2", stride: 1, padding: .symmetric(1),
                             eps: eps, momentum: momentum, activation: .relu)
        if stride != 1 || inChannels != outChannels {
            downsample = try w.convBN(conv: "\(prefix).downsample.0", bn: "\(prefix).downsample.1", stride: stride,
                                      padding: .symmetric(0), eps: eps, momentum: momentum, activation: .identity)
        } else {
            downsample = nil
        }
    }
}
