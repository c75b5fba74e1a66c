/// What follows the embedding in a model file, stored at the architecture's classifier names.
public enum ModelHead: Equatable, Sendable {
    /// Embeddings only (a backbone without classifier).
    case none
    /// One logit: p(popular) = sigmoid(logit), CoverLens's trained head.
    case popularity
    /// A classifier over `classes` classes (1000: the ImageNet classifier of pretrained weights).
    case classes(Int)

    /// The head a state dict carries at `architecture.classifierPrefix`.
    public init(of dict: StateDict, architecture: ModelArchitecture) {
        switch dict[ModulePath(architecture.classifierPrefix).key("weight")]?.shape.first {
        case nil: self = .none
        case 1?: self = .popularity
        case let n?: self = .classes(n)
        }
    }

    /// "none", "popularity" or "classes:N".
    public var rawValue: String {
        switch self {
        case .none: "none"
        case .popularity: "popularity"
        case .classes(let n): "classes:\(n)"
        }
    }

    public init?(rawValue: String) {
        switch rawValue {
        case "none": self = .none
        case "popularity": self = .popularity
        default:
            guard rawValue.hasPrefix("classes:"), let n = Int(rawValue.dropFirst("classes:".count)), n > 1 else { return nil }
            self = .classes(n)
        }
    }
}
