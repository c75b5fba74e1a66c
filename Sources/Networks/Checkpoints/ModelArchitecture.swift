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

    /// Part of every embedding cache key: raised when a fix changes the embeddings this
    /// implementation computes from the same weights and pixels, so that vectors cached (in SQLite
    /// or a PostgreSQL store) by the faulty version are never found again. ResNet18's "2": before
    /// 4040845 a batch split unevenly over two workers (an odd batch: 1 + 2 images) lost an image
    /// in `Tensor.concatenate(batch:)`, and the covers after it got other covers' rows.
    public var embeddingRevision: String? {
        switch self {
        case .efficientNetLite0: nil
        case .resnet18: "resnet18-uneven-batch-2"
        }
    }
}
