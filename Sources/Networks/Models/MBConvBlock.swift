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

// MARK: - Training

/// The caches of one MBConv block's training forward.
public struct MBConvTape: Sendable {
    var expand: ConvBNCache?
    var depthwise: ConvBNCache
    var project: ConvBNCache
}

extension MBConvBlock {
    /// x `[N, Cin, H, W]` → y, on the unfolded parameters (see `ConvBNActivation.trainingForward`).
    public func trainingForward(_ x: Tensor, batchStatistics: Bool, workers: Int) -> (output: Tensor, tape: MBConvTape) {
        let e = expand?.trainingForward(x, batchStatistics: batchStatistics, workers: workers)
        let d = depthwise.trainingForward(e?.output ?? x, batchStatistics: batchStatistics, workers: workers)
        let p = project.trainingForward(d.output, residual: configuration.hasResidual ? x : nil,
                                        batchStatistics: batchStatistics, workers: workers)
        return (p.output, MBConvTape(expand: e?.cache, depthwise: d.cache, project: p.cache))
    }

    /// Walks the block backwards from dL/dy, adding parameter gradients under `prefix`
    /// ("_blocks.3"); returns dL/dx = (through expand, depthwise, project) + dy (the residual).
    public func backward(_ dy: Tensor, tape: MBConvTape, prefix: String, gradients: inout ParameterSet,
                         inputGradient: Bool, workers: Int) -> Tensor? {
        let dSpatial = project.backward(dy, cache: tape.project, gradients: &gradients, convName: "\(prefix)._project_conv",
                                        bnName: "\(prefix)._bn2", workers: workers).input!
        var dx: Tensor?
        if let expand, let cache = tape.expand {
            let dExpanded = depthwise.backward(dSpatial, cache: tape.depthwise, gradients: &gradients,
                                               convName: "\(prefix)._depthwise_conv", bnName: "\(prefix)._bn1",
                                               workers: workers).input!
            dx = expand.backward(dExpanded, cache: cache, gradients: &gradients, convName: "\(prefix)._expand_conv",
                                 bnName: "\(prefix)._bn0", inputGradient: inputGradient, workers: workers).input
        } else {
            dx = depthwise.backward(dSpatial, cache: tape.depthwise, gradients: &gradients,
                                    convName: "\(prefix)._depthwise_conv", bnName: "\(prefix)._bn1",
                                    inputGradient: inputGradient, workers: workers).input
        }
        if configuration.hasResidual, inputGradient { dx?.add(dy) }
        return dx
    }

    /// (BatchNorm name, statistics used) of the block's three normalisations.
    func statistics(_ tape: MBConvTape, prefix: String) -> [(String, BatchStatistics)] {
        var s: [(String, BatchStatistics)] = []
        if let e = tape.expand { s.append(("\(prefix)._bn0", e.statistics)) }
        s.append(("\(prefix)._bn1", tape.depthwise.statistics))
        s.append(("\(prefix)._bn2", tape.project.statistics))
        return s
    }
}
