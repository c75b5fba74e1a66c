import Foundation
import Imaging
import Networks

/// Writes a trained CoverLens model: the base model's backbone tensors unchanged, the popularity
/// head at the architecture's classifier names (`_fc.*` for EfficientNet-Lite0, `fc.*` for
/// ResNet18, where `CoverModel.load` looks for a one-logit head), and metadata recording how it was
/// trained and how well it did on validation — so `coverlens score` uses it as it is.
public enum TrainedModelFile {
    /// The base model's tensors without its classifier, in file order, names as `CoverModel.load` reads them.
    public static func backboneTensors(of url: URL, architecture: ModelArchitecture) throws -> StateDict {
        var state = try CheckpointLayout.backboneNames(loadStateDict(contentsOf: url), architecture: architecture)
        let prefix = architecture.classifierPrefix + "."
        state = state.filter { name, _ in !name.hasPrefix(prefix) && !name.hasSuffix("num_batches_tracked") }
        return state
    }

    /// Metadata keys for the validation metrics, as `CoverModel.validationMetrics` reads them.
    public static func validationSummary(_ metrics: BinaryClassificationMetrics) -> [String: Double] {
        var summary: [String: Double] = [
            "accuracy": metrics.accuracy, "precision": metrics.precision, "recall": metrics.recall, "f1": metrics.f1,
            "loss": metrics.loss, "count": Double(metrics.count), "threshold": metrics.threshold,
            "truePositives": Double(metrics.confusion.truePositives), "falsePositives": Double(metrics.confusion.falsePositives),
            "trueNegatives": Double(metrics.confusion.trueNegatives), "falseNegatives": Double(metrics.confusion.falseNegatives),
        ]
        summary["auc"] = metrics.rocAUC
        return summary.filter { $0.value.isFinite }
    }

    /// The model file's contents.
    /// - Parameters:
    ///   - backbone: from `backboneTensors(of:architecture:)`.
    ///   - head: weight [1, D], bias [1].
    ///   - extra: more metadata (e.g. `dataset`), kept as is.
    public static func make(backbone: StateDict, architecture: ModelArchitecture, preprocessing: Preprocessing,
                            head: Linear, config: TrainingConfig, validation: BinaryClassificationMetrics?,
                            extra: [String: String] = [:]) throws -> SafeTensors {
        var tensors = backbone
        let classifier = ModulePath(architecture.classifierPrefix)   // head mode's head is named `fc` whatever the architecture
        tensors[classifier.key("weight")] = StoredTensor(head.weight.value)
        tensors[classifier.key("bias")] = StoredTensor(head.bias.value)
        var more = extra
        more["training"] = try TrainingCheckpoint.json(config.asRun)
        if let validation { more["validation"] = try TrainingCheckpoint.json(validationSummary(validation)) }
        let metadata = ModelFileMetadata(architecture: architecture, preprocessing: preprocessing.fingerprintText,
                                         head: .popularity, extra: more)
        return SafeTensors(tensors: tensors, metadata: metadata.dictionary)
    }
}
