import Tensors

/// torchvision's `resnet18`: conv 7×7/2 + BN + ReLU, max pool 3×3/2, four stages of two
/// `BasicBlock`s (64, 128, 256, 512 channels), global average pool → 512-d embedding → `fc`.
///
/// Symmetric PyTorch padding, BatchNorm eps 1e-5. Tensor names are torchvision's state-dict names,
/// so torchvision checkpoints (`fc` of any size, or none) load unchanged.
public struct ResNet18: Backbone {
    public static let architecture = "resnet18"
    public static let processesSubBatches = true
    public static let batchNormEps = 1e-5
    public static let batchNormMomentum = 0.1
    static let stageChannels = [64, 128, 256, 512]
    /// torchvision's module name of each stage, which is also its tap in `features`.
    static let stageNames = ["layer1", "layer2", "layer3", "layer4"]

    static let blocksPerStage = 2
    public static let classifierPath = ModulePath("fc")

    public internal(set) var stem: ConvBNActivation
    public let maxPool = MaxPool2d(kernelSize: 3, stride: 2, padding: .symmetric(1))
    /// `layers[0]` … `layers[3]` = torchvision's `layer1` … `layer4`, two blocks each.
    public internal(set) var layers: [[BasicBlock]]
    public let pool = GlobalAveragePool()
    public var classifier: Linear?
    public var embeddingDimension: Int { 512 }

    /// Builds the network from torchvision-named tensors; the classifier `fc` is optional and may have
    /// any number of outputs. Throws `CheckpointError.architectureMismatch` listing every missing,
    /// misshapen or unexpected tensor.
    public init(stateDict: StateDict) throws {
        self.init(classes: Self.classifierPath.outputs(in: stateDict))
        try loadCheckpoint(stateDict, architecture: Self.architecture,
                           foreignMarkers: ["_conv_stem.weight": EfficientNetLite0.architecture])
        refold()
    }

    /// The model tree with every tensor named (torchvision's module names) and zero, to be loaded:
    /// the one place this architecture's names are made. `classes == nil`: no `fc`.
    public init(classes: Int?) {
        let root = ModulePath.root
        stem = ConvBNActivation(conv: root.child("conv1"), bn: root.child("bn1"), outChannels: 64, inPerGroup: 3,
                                kernel: 7, stride: 2, padding: .symmetric(3), eps: Self.batchNormEps,
                                momentum: Self.batchNormMomentum, activation: .relu)
        var layers: [[BasicBlock]] = []
        var inChannels = 64
        for (stage, channels) in Self.stageChannels.enumerated() {
            let layer = root.child(Self.stageNames[stage])
            layers.append((0..<Self.blocksPerStage).map { i in
                BasicBlock(layer.child(i), inChannels: i == 0 ? inChannels : channels, outChannels: channels,
                           stride: i == 0 && stage > 0 ? 2 : 1)
            })
            inChannels = channels
        }
        self.layers = layers
        classifier = classes.map { Linear(inFeatures: 512, outFeatures: $0, path: Self.classifierPath) }
    }

    public mutating func visitLayers(_ body: (inout ConvBNActivation, BackbonePart) -> Void) {
        body(&stem, .stem)
        for k in 0..<(layers.count * Self.blocksPerStage) {
            layers[k / Self.blocksPerStage][k % Self.blocksPerStage].visitLayers { body(&$0, .block(k)) }
        }
    }

    /// Taps: "stem_relu" (conv1 + BN + ReLU, before pooling), "stem" (after max pool), "layer1" … "layer4".
    public func features(_ x: Tensor, compute: ComputeContext, record: ((String, Tensor) -> Void)?) -> Tensor {
        let c1 = stem.forward(x, compute: compute)
        record?("stem_relu", c1)
        var h = maxPool.forward(c1, compute: compute)
        record?("stem", h)
        for (stage, blocks) in layers.enumerated() {
            for block in blocks { h = block.forward(h, compute: compute) }
            record?(Self.stageNames[stage], h)
        }
        return pool.forward(h)
    }
}
