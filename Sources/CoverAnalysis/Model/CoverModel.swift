import Foundation
import Imaging
import Networks
import Tensors

/// A backbone, the preprocessing it expects, and (once trained) the one-logit popularity head:
/// everything needed to turn a cover into an embedding and a probability.
///
/// On disk it is one `.safetensors` file: tensors under PyTorch's names (the backbone's, plus
/// `_fc.*` / `fc.*` for the head, where torchvision and EfficientNet-PyTorch keep the classifier) and a
/// `__metadata__` with `architecture`, `preprocessing` (JSON), `head`, `logitMeans` (which class a
/// one-logit head predicts; a head that predicts the other covers is negated on loading) and, after
/// training, `training` and `validation` (JSON). A `.pth` state dict is accepted too; its
/// architecture is then recognised from its tensor names, and it is preprocessed the way its
/// architecture's pretrained weights were trained.
public struct CoverModel: Sendable {
    public var backbone: any Backbone
    public var preprocessing: Preprocessing
    /// Where the model came from (its file name), for results and errors.
    public var name: String
    /// Extra metadata carried along (training configuration, validation metrics …).
    public var metadata: [String: String]
    /// Identifies the embedding function: architecture, preprocessing and every backbone weight.
    /// Two models with the same fingerprint give the same embeddings, so the store can share them.
    public var embeddingFingerprint: String

    public var architecture: String { type(of: backbone).architecture }

    /// The classifier when it has a single output: the popularity head.
    public var popularityHead: Linear? {
        guard let c = backbone.classifier, c.outFeatures == 1 else { return nil }
        return c
    }

    public init(backbone: any Backbone, preprocessing: Preprocessing, name: String, metadata: [String: String] = [:],
                embeddingFingerprint: String) {
        self.backbone = backbone
        self.preprocessing = preprocessing
        self.name = name
        self.metadata = metadata
        self.embeddingFingerprint = embeddingFingerprint
    }

    public enum ModelError: Error, CustomStringConvertible {
        case missing(path: String)
        case unknownArchitecture(path: String, name: String)
        case badMetadata(path: String, key: String, detail: String)

        public var description: String {
            switch self {
            case .missing(let p):
                "\(p): no such model file; run scripts/setup.sh to install the default model, or pass --model with a .safetensors or .pth file"
            case .unknownArchitecture(let p, let n):
                "\(p): architecture \"\(n)\" is not one CoverLens knows (efficientnet-lite0, resnet18)"
            case .badMetadata(let p, let k, let d):
                "\(p): metadata field \"\(k)\" cannot be read (\(d)); re-import the weights with coverlens import-weights"
            }
        }
    }

    /// Loads a `.safetensors` model or a PyTorch `.pth` state dict (format found from the bytes).
    /// PyTorch-recipe layouts (`CustomCNN`'s `base_model.`, `DataParallel`'s `module.`) are mapped
    /// onto the backbone's own names by `CheckpointLayout`.
    /// `overrides` replace recorded preprocessing settings (and so change the fingerprint).
    public static func load(contentsOf url: URL, architecture requested: String? = nil,
                            overrides: PreprocessingOverrides = .none) throws -> CoverModel {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.missing(path: url.path) }
        var metadata: [String: String] = [:]
        var state: StateDict
        if let file = try? SafeTensors(contentsOf: url) {
            state = file.tensors
            metadata = file.metadata
        } else {
            state = try loadStateDict(contentsOf: url)
        }
        state = state.filter { name, _ in !name.hasSuffix("num_batches_tracked") }
        let name = requested ?? metadata["architecture"] ?? detectArchitecture(state)
        guard let architecture = ModelArchitecture(rawValue: name) else {
            throw ModelError.unknownArchitecture(path: url.path, name: name)
        }
        state = try CheckpointLayout.backboneNames(state, architecture: architecture)
        var preprocessing = Preprocessing(normalization: architecture.trainingNormalization)
        if let json = metadata["preprocessing"] {
            do { preprocessing = try JSONDecoder().decode(Preprocessing.self, from: Data(json.utf8)) } catch {
                throw ModelError.badMetadata(path: url.path, key: "preprocessing", detail: "\(error)")
            }
        }
        preprocessing = overrides.applied(to: preprocessing)
        let meaning = try ModelFileMetadata.logitMeaning(metadata, path: url.path)
        if meaning == .other { state = Self.turnedRound(state, head: architecture.classifierPrefix) }
        let backbone: any Backbone = switch architecture {
        case .efficientNetLite0: try EfficientNetLite0(stateDict: state)
        case .resnet18: try ResNet18(stateDict: state)
        }
        let head = architecture.classifierPrefix
        let fingerprint = Self.fingerprint(name, preprocessing, state.filter { n, _ in !n.hasPrefix(head + ".") })
        return CoverModel(backbone: backbone, preprocessing: preprocessing, name: url.lastPathComponent,
                          metadata: metadata, embeddingFingerprint: fingerprint)
    }

    /// `state` with a one-logit head negated: sigmoid(−logit) = 1 − sigmoid(logit), so a head that
    /// predicts the other covers gives p(popular) to every later step (scores, evaluation, Grad-CAM,
    /// a head kept for further training).
    static func turnedRound(_ state: StateDict, head: String) -> StateDict {
        var state = state
        for name in [ModulePath(head).key("weight"), ModulePath(head).key("bias")] {
            guard let tensor = state[name]?.floatTensor, tensor.shape.first == 1 else { continue }
            state[name] = StoredTensor(Tensor(shape: tensor.shape, storage: tensor.storage.map { -$0 }))
        }
        return state
    }

    /// ResNet names start with `conv1`/`layer1`, EfficientNet-PyTorch names with `_conv_stem`/`_blocks`
    /// (possibly behind a `base_model.` or `module.` prefix).
    static func detectArchitecture(_ state: StateDict) -> String {
        if state.names.contains(where: { $0.hasSuffix("_conv_stem.weight") }) { return ModelArchitecture.efficientNetLite0.rawValue }
        if state.names.contains(where: { $0 == "conv1.weight" || $0.hasSuffix(".conv1.weight") && !$0.contains("layer") }) {
            return ModelArchitecture.resnet18.rawValue
        }
        return "unknown (neither _conv_stem.weight nor conv1.weight present)"
    }

    /// True for a one-logit head from a file that is not a CoverLens model (a `.pth` passed as it
    /// is): nothing says which class its logit predicts, so it is taken as p(popular) unchecked.
    /// CoverLens's own files say so, or were trained by CoverLens, whose logit predicts popular.
    public var logitMeaningUnrecorded: Bool {
        popularityHead != nil && metadata["format"] != ModelFileMetadata.format
    }

    /// Validation metrics recorded in the metadata when the head was trained.
    public var validationMetrics: [String: Double]? {
        guard let json = metadata["validation"], let data = json.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode([String: Double].self, from: data)
    }

    /// SHA-256 over architecture, preprocessing (with its ``Preprocessing/pixelRevision``), the
    /// architecture's ``ModelArchitecture/embeddingRevision``, and every tensor's name, shape and
    /// values in name order. The bytes are hashed as they come, not gathered into one array first
    /// (a model's megabytes, copied again at every growth, were a fifth of a one-cover run's time).
    static func fingerprint(_ architecture: String, _ preprocessing: Preprocessing, _ state: StateDict) -> String {
        var hasher = SHA256.Hasher()
        hasher.update("\(architecture)|\(preprocessing.fingerprintText)|")
        if let revision = preprocessing.pixelRevision { hasher.update("\(revision)|") }
        if let revision = ModelArchitecture(rawValue: architecture)?.embeddingRevision { hasher.update("\(revision)|") }
        for name in state.names.sorted() {
            guard let tensor = state[name] else { continue }
            hasher.update("\(name)\(tensor.shape)")
            tensor.floatTensor.storage.withUnsafeBytes { hasher.update($0) }
        }
        return String(hasher.hex().prefix(32))
    }

    /// The embedding fingerprint plus the head's weights: identifies p(popular) and Grad-CAM.
    public var fullFingerprint: String {
        var bytes = [UInt8](embeddingFingerprint.utf8)
        if let head = backbone.classifier {
            head.weight.value.storage.withUnsafeBytes { bytes.append(contentsOf: $0) }
            head.bias.value.storage.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return String(SHA256.hex(bytes).prefix(32))
    }
}

extension Preprocessing {
    /// The preprocessing as `--verbose` shows it (the fingerprint's sorted-key JSON).
    public var summary: String { fingerprintText }

    /// Stable text for fingerprints (sorted-key JSON).
    var fingerprintText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "\(self)"
    }
}
