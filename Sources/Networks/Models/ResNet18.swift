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

    public let stem: ConvBNActivation
    public let maxPool = MaxPool2d(kernelSize: 3, stride: 2, padding: .symmetric(1))
    /// `layers[0]` … `layers[3]` = torchvision's `layer1` … `layer4`, two blocks each.
    public let layers: [[BasicBlock]]
    public let pool = GlobalAveragePool()
    public var classifier: Linear?
    public var embeddingDimension: Int { 512 }

    /// Builds the network from torchvision-named tensors; the classifier `fc` is optional and may have
    /// any number of outputs. Throws `CheckpointError.architectureMismatch` listing every missing,
    /// misshapen or unexpected tensor.
    public init(stateDict: StateDict) throws {
        let classes = WeightLoader.classifierClasses(stateDict, prefix: "fc")
        let w = try WeightLoader(stateDict: stateDict, architecture: Self.architecture,
                                 expected: Self.parameterShapes(classes: classes),
                                 foreignMarkers: ["_conv_stem.weight": EfficientNetLite0.architecture])
        stem = try w.convBN(conv: "conv1", bn: "bn1", stride: 2, padding: .symmetric(3),
                            eps: Self.batchNormEps, momentum: Self.batchNormMomentum, activation: .relu)
        var layers: [[BasicBlock]] = []
        var inChannels = 64
        for (stage, channels) in Self.stageChannels.enumerated() {
            let stride = stage == 0 ? 1 : 2
            layers.append([
                try BasicBlock(w, prefix: "layer\(stage + 1).0", inChannels: inChannels, outChannels: channels, stride: stride),
                try BasicBlock(w, prefix: "layer\(stage + 1).1", inChannels: channels, outChannels: channels, stride: 1),
            ])
            inChannels = channels
        }
        self.layers = layers
        classifier = classes == nil ? nil : try w.linear("fc")
    }

    /// torchvision's state-dict entries (without `num_batches_tracked`) in module order;
    /// `classes == nil` leaves out `fc`.
    public static func parameterShapes(classes: Int? = 1000) -> [(name: String, shape: [Int])] {
        var shapes = convBNShapes(conv: "conv1", bn: "bn1", out: 64, inPerGroup: 3, kernel: 7)
        var inChannels = 64
        for (stage, channels) in stageChannels.enumerated() {
            shapes += BasicBlock.parameterShapes(prefix: "layer\(stage + 1).0", inChannels: inChannels,
                                                 outChannels: channels, stride: stage == 0 ? 1 : 2)
            shapes += BasicBlock.parameterShapes(prefix: "layer\(stage + 1).1", inChannels: channels,
                                                 outChannels: channels, stride: 1)
            inChannels = channels
        }
        if let classes { shapes += [("fc.weight", [classes, 512]), ("fc.bias", [classes])] }
        return shapes
    }

    /// Taps: "stem_relu" (conv1 + BN + ReLU, before pooling), "stem" (after max pool), "layer1" … "layer4".
    public func features(_ x: Tensor, workers: Int, record: ((String, Tensor) -> Void)?) -> Tensor {
        let c1 = stem.forward(x, workers: workers)
        record?("stem_relu", c1)
        var h = maxPool.forward(c1, workers: workers)
        record?("stem", h)
        for (stage, blocks) in layers.enumerated() {
            for block in blocks { h = block.forward(h, workers: workers) }
            record?("layer\(stage + 1)", h)
        }
        return pool.forward(h)
    }
}
