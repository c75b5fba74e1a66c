/// Maps the key layouts of PyTorch training scripts onto a backbone's own names, and checks the
/// head they carry.
///
/// Layouts read (`fc` stands for the architecture's `classifierPrefix`: `fc` for ResNet18, `_fc`
/// for EfficientNet-Lite0; D for its embedding length, 512 or 1280):
/// - The backbone's own names: a pretrained backbone with its 1000-class classifier, one without a
///   classifier, or torchvision-style fine-tuning (`model.fc = nn.Linear(512, 1)`). Unchanged.
/// - `module.` in front of every name (`nn.DataParallel` / DDP): stripped, then as above.
/// - The PyTorch recipe's `CustomCNN`: the backbone is its `base_model`, and the recipe replaces
///   the backbone's classifier *inside* it (`base_model.fc = nn.Linear(512, 1)`), so every name
///   starts with `base_model.` and `base_model.fc` [1, D] is the popularity head. Stripped.
/// - A wrapper with the backbone under `base_model.` *without* its classifier (`nn.Identity`) and a
///   one-logit `fc` beside it. CoverLens read this layout before the recipe's own was known; it is
///   unambiguous, so it still imports: the head moves to the classifier's names, where the
///   other layouts have it.
///
/// Whatever the layout, a classifier must be [1, D] (a popularity logit) or [1000, D] (ImageNet's
/// classes); any other shape is refused with one sentence naming the tensor as the file names it.
public enum CheckpointLayout {
    /// `dict` with backbone names; unchanged when it already uses them.
    public static func backboneNames(_ dict: StateDict, architecture: ModelArchitecture) throws -> StateDict {
        var dict = dict
        let wrapped = !dict.names.isEmpty && dict.names.allSatisfy { $0.hasPrefix(modulePrefix) }
        if wrapped { dict = dict.renamed { String($0.dropFirst(modulePrefix.count)) } }
        let (mapped, headName) = try unwrapped(dict, architecture: architecture)
        try checkHead(mapped, fileName: (wrapped ? modulePrefix : "") + headName, architecture: architecture)
        return mapped
    }

    static let modulePrefix = "module."
    static let wrapperPrefix = "base_model."

    /// `dict` without the `base_model.` wrapper, and the name the file gives the classifier weight.
    private static func unwrapped(_ dict: StateDict, architecture: ModelArchitecture) throws -> (StateDict, String) {
        let head = architecture.classifierPrefix
        guard dict.names.contains(where: { $0.hasPrefix(wrapperPrefix) }) else { return (dict, ModulePath(head).key("weight")) }
        let inner = wrapperPrefix + head + "."
        let innerHead = dict.names.contains { $0.hasPrefix(inner) }
        let besideHead = dict["fc.weight"] != nil || dict["fc.bias"] != nil
        var result = StateDict(source: dict.source)
        var problems: [String] = []
        if innerHead && besideHead {
            problems.append("two heads: '\(inner)*' (the recipe's, inside base_model) and 'fc.*' beside base_model; a CustomCNN has one")
        }
        for (name, tensor) in dict.entries {
            if name.hasPrefix(wrapperPrefix) {
                result[String(name.dropFirst(wrapperPrefix.count))] = tensor
            } else if besideHead && (name == "fc.weight" || name == "fc.bias") {
                result[head + name.dropFirst("fc".count)] = tensor
            } else {
                problems.append("unexpected tensor '\(name)' next to base_model.* (a CustomCNN keeps everything in base_model)")
            }
        }
        guard problems.isEmpty else {
            throw CheckpointError.architectureMismatch(path: dict.source, architecture: "CustomCNN(\(architecture.rawValue))", problems: problems)
        }
        return (result, besideHead ? "fc.weight" : inner + "weight")
    }

    /// Refuses a classifier that is neither one logit nor ImageNet's 1000 classes.
    private static func checkHead(_ dict: StateDict, fileName: String, architecture: ModelArchitecture) throws {
        guard let weight = dict[ModulePath(architecture.classifierPrefix).key("weight")] else { return }
        let d = architecture.embeddingDimension
        guard weight.shape != [1, d], weight.shape != [imageNetClasses, d] else { return }
        throw CheckpointError.unexpectedHead(
            path: dict.source,
            detail: "the head '\(fileName)' has shape \(weight.shape), but \(architecture.rawValue) takes a head of [1, \(d)] "
                + "(one popularity logit, the recipe's nn.Linear(\(d), 1)) or [\(imageNetClasses), \(d)] (ImageNet's classifier)")
    }

    static let imageNetClasses = 1000
}
