/// Maps the key layouts of common PyTorch training scripts onto a backbone's own names.
///
/// - `module.` prefixes come from `nn.DataParallel` / DDP wrappers.
/// - The CoverLens PyTorch recipe's `CustomCNN` keeps the backbone under `base_model.` (its own
///   classifier replaced by `nn.Identity`, so it has none) and a one-logit `fc` = Linear(D, 1) on
///   top. That head is the architecture's classifier position, so it moves to
///   `classifierPrefix.weight/bias` (`fc` for ResNet18, `_fc` for EfficientNet-Lite0), exactly
///   where torchvision-style fine-tuning (`model.fc = nn.Linear(512, 1)`) would put it.
public enum CheckpointLayout {
    /// `dict` with backbone names; unchanged when it already uses them.
    public static func backboneNames(_ dict: StateDict, architecture: ModelArchitecture) throws -> StateDict {
        var dict = dict
        if !dict.names.isEmpty, dict.names.allSatisfy({ $0.hasPrefix("module.") }) {
            dict = dict.renamed { String($0.dropFirst("module.".count)) }
        }
        guard dict.names.contains(where: { $0.hasPrefix("base_model.") }) else { return dict }
        let head = architecture.classifierPrefix
        var result = StateDict(source: dict.source)
        var problems: [String] = []
        for (name, tensor) in dict.entries {
            if name.hasPrefix("base_model.") {
                let inner = String(name.dropFirst("base_model.".count))
                if inner.hasPrefix(head + ".") {
                    problems.append("'\(name)': the backbone keeps its own classifier, but CustomCNN's head 'fc' replaces it")
                }
                result[inner] = tensor
            } else if name == "fc.weight" || name == "fc.bias" {
                result[head + name.dropFirst("fc".count)] = tensor
            } else {
                problems.append("unexpected tensor '\(name)' next to base_model.* (CustomCNN has only base_model and fc)")
            }
        }
        if let weight = dict["fc.weight"], weight.shape != [1, architecture.embeddingDimension] {
            problems.append("CustomCNN head fc.weight has shape \(weight.shape), expected [1, \(architecture.embeddingDimension)]")
        }
        guard problems.isEmpty else {
            throw CheckpointError.architectureMismatch(path: dict.source, architecture: "CustomCNN(\(architecture.rawValue))", problems: problems)
        }
        return result
    }
}
