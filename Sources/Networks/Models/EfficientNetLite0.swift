import Tensors

/// EfficientNet-Lite0 as converted from the official TensorFlow checkpoint (EfficientNet-PyTorch names):
/// stem 3×3/2 conv 3→32 + BN + ReLU6, 16 `MBConvBlock`s, head 1×1 conv 320→1280 + BN + ReLU6,
/// global average pool → 1280-d embedding → dropout 0.2 (training only) → `_fc`.
///
/// Two details decide whether the numbers match the reference (see ../shared/reference/README.md):
/// TensorFlow SAME padding everywhere (asymmetric for stride 2) and BatchNorm eps 1e-3.
public struct EfficientNetLite0: Backbone {
    public static let architecture = "efficientnet-lite0"
    public static let processesSubBatches = false
    public static let batchNormEps = 1e-3
    /// TF's decay 0.99 in PyTorch's convention.
    public static let batchNormMomentum = 0.01

    /// The 16 blocks: (repeats, expansion, kernel, first stride, output channels) per stage, expanded.
    public static let blockConfigurations: [MBConvBlock.Configuration] = {
        let stages = [(1, 1, 3, 1, 16), (2, 6, 3, 2, 24), (2, 6, 5, 2, 40), (3, 6, 3, 2, 80),
                      (3, 6, 5, 1, 112), (4, 6, 5, 2, 192), (1, 6, 3, 1, 320)]
        var blocks: [MBConvBlock.Configuration] = []
        var inChannels = 32
        for (repeats, expansion, kernel, stride, out) in stages {
            for r in 0..<repeats {
                blocks.append(.init(inChannels: inChannels, outChannels: out, expansion: expansion,
                                    kernel: kernel, stride: r == 0 ? stride : 1))
                inChannels = out
            }
        }
        return blocks
    }()

    public static let classifierPath = ModulePath("_fc")

    public internal(set) var stem: ConvBNActivation
    public internal(set) var blocks: [MBConvBlock]
    public internal(set) var head: ConvBNActivation
    public let pool = GlobalAveragePool()
    public let dropout = Dropout(rate: 0.2)
    public var classifier: Linear?
    public var embeddingDimension: Int { 1280 }

    /// Builds the network from EfficientNet-PyTorch-named tensors (`_conv_stem`, `_blocks.N.*`,
    /// `_conv_head`, `_bn0/_bn1`, optional `_fc` of any size). Throws
    /// `CheckpointError.architectureMismatch` listing every missing, misshapen or unexpected tensor.
    public init(stateDict: StateDict) throws {
        self.init(classes: Self.classifierPath.outputs(in: stateDict))
        try loadCheckpoint(stateDict, architecture: Self.architecture,
                           foreignMarkers: ["conv1.weight": ResNet18.architecture, "layer1.0.conv1.weight": ResNet18.architecture])
        refold()
    }

    /// The model tree with every tensor named (EfficientNet-PyTorch's module names) and zero, to be
    /// loaded: the one place this architecture's names are made. `classes == nil`: no `_fc`.
    public init(classes: Int?) {
        let (eps, momentum) = (Self.batchNormEps, Self.batchNormMomentum)
        let root = ModulePath.root
        stem = ConvBNActivation(conv: root.child("_conv_stem"), bn: root.child("_bn0"), outChannels: 32, inPerGroup: 3,
                                kernel: 3, stride: 2, padding: .same, eps: eps, momentum: momentum, activation: .relu6)
        let list = root.child("_blocks")
        blocks = Self.blockConfigurations.enumerated().map { MBConvBlock(list.child($0.offset), $0.element) }
        head = ConvBNActivation(conv: root.child("_conv_head"), bn: root.child("_bn1"), outChannels: 1280, inPerGroup: 320,
                                kernel: 1, stride: 1, padding: .same, eps: eps, momentum: momentum, activation: .relu6)
        classifier = classes.map { Linear(inFeatures: 1280, outFeatures: $0, path: Self.classifierPath) }
    }

    public mutating func visitLayers(_ body: (inout ConvBNActivation, BackbonePart) -> Void) {
        body(&stem, .stem)
        for i in blocks.indices { blocks[i].visitLayers { body(&$0, .block(i)) } }
        body(&head, .top)
    }

    /// Taps (the reference's names): "stem_conv" (stem convolution before BN, computed only when
    /// recording), "stem", "block00" … "block15", "head" (before pooling).
    public func features(_ x: Tensor, compute: ComputeContext, record: ((String, Tensor) -> Void)?) -> Tensor {
        if let record { record("stem_conv", stem.conv.forward(x, compute: compute)) }
        var h = stem.forward(x, compute: compute)
        record?("stem", h)
        for (i, block) in blocks.enumerated() {
            h = block.forward(h, compute: compute)
            record?(i < 10 ? "block0\(i)" : "block\(i)", h)
        }
        h = head.forward(h, compute: compute)
        record?("head", h)
        return pool.forward(h)
    }
}
