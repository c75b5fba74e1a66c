/// The backbones CoverLens implements, named as on the command line and in model metadata.
public enum ModelArchitecture: String, CaseIterable, Codable, Sendable {
    case efficientNetLite0 = "efficientnet-lite0"
    case resnet18 = "resnet18"

    /// Prefix of the layer after the embedding in PyTorch's names (`_fc` in EfficientNet-PyTorch,
    /// `fc` in torchvision); a trained popularity head is stored under the same names.
    public var classifierPrefix: String {
        switch self {
        case .efficientNetLite0: "_fc"
        case .resnet18: "fc"
        }
    }

    /// Length of the pooled embedding the classifier reads.
    public var embeddingDimension: Int {
        switch self {
        case .efficientNetLite0: 1280
        case .resnet18: 512
        }
    }
}
