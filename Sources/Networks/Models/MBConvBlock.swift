import Tensors

/// EfficientNet's inverted-residual block (no squeeze-excitation in the Lite variants):
/// 1×1 expand + BN + ReLU6 (absent when the expansion is 1) → k×k depthwise (stride s) + BN + ReLU6
/// → 1×1 project + BN, no activation → `+ x` when stride 1 and Cin == Cout.
///
/// x: `[N, Cin, H, W]` → `[N, Cout, ceil(H/s), ceil(W/s)]`. The residual add runs inside the
/// projection's fused epilogue.
public struct MBConvBlock: Sendable {
    /// One row of EfficientNet-Lite0's block table.
    public struct Configuration: Equatable, Sendable {
        public let inChannels: Int
        public let outChannels: Int
        public let expansion: Int
        public let kernel: Int
        public let stride: Int

        public var hiddenChannels: Int { inChannels * expansion }
        public var hasResidual: Bool { stride == 1 && inChannels == outChannels }
    }

    public let configuration: Configuration
    public let expand: ConvBNActivation?
    public let depthwise: ConvBNActivation
    public let project: ConvBNActivation

    public func forward(_ x: Tensor, workers: Int) -> Tensor {
        let expanded = expand?.forward(x, workers: workers) ?? x
        let spatial = depthwise.forward(expanded, workers: workers)
        return project.forward(spatial, residual: configuration.hasResidual ? x : nil, workers: workers)
    }

    /// EfficientNet-PyTorch's names under `prefix` (e.g. "_blocks.3") in module order.
    static func parameterShapes(prefix: String, _ c: Configuration) -> [(name: String, shape: [Int])] {
        var shapes: [(name: String, shape: [Int])] = []
        if c.expansion != 1 {
            shapes += convBNShapes(conv: "\(prefix)._expand_conv", bn: "\(prefix)._bn0",
                                   out: c.hiddenChannels, inPerGroup: c.inChannels, kernel: 1)
        }
        shapes += convBNShapes(conv: "\(prefix)._depthwise_conv", bn: "\(prefix)._bn1",
                               out: c.hiddenChannels, inPerGroup: 1, kernel: c.kernel)
        shapes += convBNShapes(conv: "\(prefix)._project_conv", bn: "\(prefix)._bn2",
                               out: c.outChannels, inPerGroup: c.hiddenChannels, kernel: 1)
        return shapes
    }

    init(_ w: WeightLoader, prefix: String, _ c: Configuration) throws {
        let (eps, momentum) = (EfficientNetLite0.batchNormEps, EfficientNetLite0.batchNormMomentum)
        configuration = c
        expand = c.expansion == 1 ? nil
            : try w.convBN(conv: "\(prefix)._expand_conv", bn: "\(prefix)._bn0", stride: 1, padding: .same,
                           eps: eps, momentum: momentum, activation: .relu6)
        depthwise = try w.convBN(conv: "\(prefix)._depthwise_conv", bn: "\(prefix)._bn1", stride: c.stride,
                                 padding: .same, groups: c.hiddenChannels, eps: eps, momentum: momentum,
                                 activation: .relu6)
        project = try w.convBN(conv: "\(prefix)._project_conv", bn: "\(prefix)._bn2", stride: 1, padding: .same,
                               eps: eps, momentum: momentum, activation: .identity)
    }
}
