import Foundation
import Imaging
import Networks
import Support
import Tensors

/// `coverlens evaluate MODEL DATA`: a trained model's metrics on any labelled folder — the same
/// numbers training reports per epoch (loss, accuracy at probability 0.5, ROC AUC, precision,
/// recall, F1, confusion matrix), for a test set the model never saw.
public struct CoverEvaluator: Sendable {
    public var model: CoverModel
    public var store: (any CoverStore)?
    public var limits: DecodeLimits = .default
    public var followSymlinks = false
    /// Threads for the scan and the network; the run sets it from `--threads`.
    public var compute: ComputeContext = .default
    /// See ``CoverScan/onCutShort``.
    public var onCutShort: (@Sendable (SkippedFile) -> Void)?

    public init(model: CoverModel, store: (any CoverStore)?) {
        self.model = model
        self.store = store
    }

    public enum EvaluationError: Error, CustomStringConvertible, Equatable {
        case noHead(model: String)

        public var description: String {
            switch self {
            case .noHead(let m): "\(m): has no trained popularity head (a one-logit classifier); train one with coverlens train"
            }
        }
    }

    public func evaluate(_ data: LabelledFolders,
                         progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil) throws -> Evaluation {
        guard let head = model.popularityHead else { throw EvaluationError.noHead(model: model.name) }
        var scan = CoverScan(model: model, store: store)
        scan.limits = limits
        scan.compute = compute
        scan.onCutShort = onCutShort
        let set = try LabelledEmbeddings.scan(data, with: scan, role: "evaluate", followSymlinks: followSymlinks, progress: progress)
        let logits = head.forward(set.features).storage
        return Evaluation(model: model.name, architecture: model.architecture, data: data.description,
                          classCounts: set.classCounts,
                          metrics: BinaryClassificationMetrics(logits: logits, labels: set.labels),
                          trainingValidation: model.validationMetrics, skipped: set.skipped)
    }
}

/// The result of `coverlens evaluate`, written as JSON.
public struct Evaluation: Codable, Equatable, Sendable {
    public var model: String
    public var architecture: String
    public var data: String
    public var classCounts: [LabelledEmbeddings.ClassCount]
    public var metrics: BinaryClassificationMetrics
    /// The validation metrics recorded in the model file at training time, for comparison.
    public var trainingValidation: [String: Double]?
    public var skipped: [SkippedFile]

    /// Sorted-key JSON; NaN and infinities as strings (as in the training log).
    public func write(to url: URL) throws {
        try AtomicFile.write(try TrainingLog.encoder.encode(self), to: url)
    }
}
