import Tensors

/// EfficientNet's inverted-residual block (no squeeze-excitation in the Lite variants):
/// 1×1 expand + BN + ReLU6 (absent when the expansion is 1) → k×k depthwise (stride s) + BN + ReLU6
/// → 1×1 project + BN, no activation → `+ x` when stride 1 and Cin == Cout.
///
/// x: `[N, Cin, H, W]` → `[N, Cout, ceil(H/s), ceil(W/s)]`. The residual add runs inside the
/// projection's fused epilogue.
public struct MBConvBlock: Module, Sendable {
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
    public internal(set) var expand: ConvBNActivation?
    public internal(set) var depthwise: ConvBNActivation
    public internal(set) var project: ConvBNActivation

    public func forward(_ x: Tensor, compute: ComputeContext) -> Tensor {
        let expanded = expand?.forward(x, compute: compute) ?? x
        let spatial = depthwise.forward(expanded, compute: compute)
        return project.forward(spatial, residual: configuration.hasResidual ? x : nil, compute: compute)
    }

    /// The block at `path` (e.g. `_blocks.3`) with EfficientNet-PyTorch's module names, unloaded.
    init(_ path: ModulePath, _ c: Configuration) {
        let (eps, momentum) = (EfficientNetLite0.batchNormEps, EfficientNetLite0.batchNormMomentum)
        configuration = c
        expand = c.expansion == 1 ? nil
            : ConvBNActivation(conv: path.child("_expand_conv"), bn: path.child("_bn0"), outChannels: c.hiddenChannels,
                               inPerGroup: c.inChannels, kernel: 1, stride: 1, padding: .same,
                               eps: eps, momentum: momentum, activation: .relu6)
        depthwise = ConvBNActivation(conv: path.child("_depthwise_conv"), bn: path.child("_bn1"), outChannels: c.hiddenChannels,
                                     inPerGroup: 1, kernel: c.kernel, stride: c.stride, padding: .same,
                                     groups: c.hiddenChannels, eps: eps, momentum: momentum, activation: .relu6)
        project = ConvBNActivation(conv: path.child("_project_conv"), bn: path.child("_bn2"), outChannels: c.outChannels,
                                   inPerGroup: c.hiddenChannels, kernel: 1, stride: 1, padding: .same,
                                   eps: eps, momentum: momentum, activation: .identity)
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        visitLayers { $0.visit(parameters: parameters, buffers: buffers) }
    }

    /// The block's convolution layers in module order.
    mutating func visitLayers(_ body: (inout ConvBNActivation) -> Void) {
        if expand != nil { body(&expand!) }
        body(&depthwise)
        body(&project)
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
    public mutating func trainingForward(_ x: Tensor, batchStatistics: Bool, compute: ComputeContext) -> (output: Tensor, tape: MBConvTape) {
        let e = expand?.trainingForward(x, batchStatistics: batchStatistics, compute: compute)
        let d = depthwise.trainingForward(e?.output ?? x, batchStatistics: batchStatistics, compute: compute)
        let p = project.trainingForward(d.output, residual: configuration.hasResidual ? x : nil,
                                        batchStatistics: batchStatistics, compute: compute)
        return (p.output, MBConvTape(expand: e?.cache, depthwise: d.cache, project: p.cache))
    }

    /// Walks the block backwards from dL/dy, adding every layer's parameter gradients;
    /// returns dL/dx = (through expand, depthwise, project) + dy (the residual).
    public mutating func backward(_ dy: Tensor, tape: MBConvTape, inputGradient: Bool, compute: ComputeContext) -> Tensor? {
        let dSpatial = project.backward(dy, cache: tape.project, compute: compute).input!
        var dx: Tensor?
        if expand != nil, let cache = tape.expand {
            let dExpanded = depthwise.backward(dSpatial, cache: tape.depthwise, compute: compute).input!
            dx = expand!.backward(dExpanded, cache: cache, inputGradient: inputGradient, compute: compute).input
        } else {
            dx = depthwise.backward(dSpatial, cache: tape.depthwise, inputGradient: inputGradient, compute: compute).input
        }
        if configuration.hasResidual, inputGradient { dx?.add(dy, compute: compute) }
        return dx
    }
}
