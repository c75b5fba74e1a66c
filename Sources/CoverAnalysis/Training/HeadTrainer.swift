import Networks
import Tensors

/// The outcome of head-mode training.
public struct HeadTrainingResult: Sendable {
    /// The head to keep: the epoch with the highest validation AUC (ties: lowest validation loss)
    /// when there is validation data, otherwise the head after the last epoch.
    public var head: Linear
    public var history: [EpochMetrics]
    /// 1-based epoch whose weights `head` holds.
    public var bestEpoch: Int
    /// True when early stopping ended the run before `config.epochs`.
    public var stoppedEarly: Bool
    /// The optimiser after the last epoch, for a checkpoint that resumes.
    public var optimizerState: OptimizerState
    /// Which examples were held out, when the trainer split the data itself.
    public var split: StratifiedSplit?
}

/// Head mode: a Linear(D, 1) classifier trained on cached backbone embeddings with BCE-with-logits.
///
/// The backbone is frozen, so each epoch is a handful of matrix products over minibatches of
/// embeddings — seconds for thousands of covers. Everything random (initialisation, split, the
/// order of examples in each epoch) comes from `config.seed`, so a run repeats byte for byte.
public enum HeadTrainer {
    /// Mixed into the seed for the train/validation split, so the split and the head's
    /// initialisation draw from different streams.
    static let splitSeedSalt: UInt64 = 0x5EED_5B11_7000_0001

    /// Splits `features` into training and validation by `config.validationSplit` (stratified,
    /// seeded), then trains. features: [N, D]; labels: N values, 1 = popular.
    public static func train(features: Tensor, labels: [Float], config: TrainingConfig,
                             progress: ((EpochMetrics) -> Void)? = nil) throws -> HeadTrainingResult {
        try checkShapes(features, labels, "training")
        let split = StratifiedSplit(labels: labels, validationFraction: config.validationSplit,
                                    seed: config.seed ^ splitSeedSalt)
        let validation = split.validation.isEmpty ? nil
            : (features: gatherRows(features, split.validation), labels: split.validation.map { labels[$0] })
        var result = try train(features: gatherRows(features, split.training), labels: split.training.map { labels[$0] },
                               validation: validation, config: config, progress: progress)
        result.split = split
        return result
    }

    /// Trains on exactly the given examples, evaluating on `validation` after every epoch.
    public static func train(features: Tensor, labels: [Float],
                             validation: (features: Tensor, labels: [Float])?,
                             config: TrainingConfig,
                             progress: ((EpochMetrics) -> Void)? = nil) throws -> HeadTrainingResult {
        try config.validate()
        try checkShapes(features, labels, "training")
        if let v = validation {
            try checkShapes(v.features, v.labels, "validation")
            guard v.features.shape[1] == features.shape[1] else {
                throw HeadTrainingError.shape("validation embeddings have \(v.features.shape[1]) values, training \(features.shape[1])")
            }
        }
        guard features.shape[0] > 0 else { throw HeadTrainingError.shape("no training examples") }

        var session = try HeadTrainingSession(config: config, inputs: features.shape[1])
        while !session.isFinished {
            let metrics = session.runEpoch(features: features, labels: labels, validation: validation)
            progress?(metrics)
        }
        return HeadTrainingResult(head: session.keptHead, history: session.history, bestEpoch: session.keptEpoch,
                                  stoppedEarly: session.stoppedEarly, optimizerState: session.optimizer.state(), split: nil)
    }

    private static func checkShapes(_ features: Tensor, _ labels: [Float], _ role: String) throws {
        guard features.rank == 2 else {
            throw HeadTrainingError.shape("\(role) embeddings must be [N, D], got \(features.shape)")
        }
        guard features.shape[0] == labels.count else {
            throw HeadTrainingError.shape("\(features.shape[0]) \(role) embeddings but \(labels.count) labels")
        }
        guard features.storage.allSatisfy({ $0.isFinite }) else {
            throw HeadTrainingError.nonFinite(role: role)
        }
    }

    /// Rows `indices` of x: [N, D] → [indices.count, D].
    static func gatherRows<C: Collection<Int>>(_ x: Tensor, _ indices: C) -> Tensor {
        var out = Tensor(shape: [0, x.shape[1]])
        gatherRows(x, indices, into: &out)
        return out
    }

    /// Rows `indices` of x into `out`, reusing its storage when the size fits.
    static func gatherRows<C: Collection<Int>>(_ x: Tensor, _ indices: C, into out: inout Tensor) {
        let d = x.shape[1]
        if out.shape != [indices.count, d] { out = Tensor(shape: [indices.count, d]) }
        var row = 0
        for i in indices {
            out.storage.replaceSubrange(row * d ..< (row + 1) * d, with: x.storage[i * d ..< (i + 1) * d])
            row += 1
        }
    }
}

/// Head-mode input that cannot be trained on.
public enum HeadTrainingError: Error, CustomStringConvertible, Equatable {
    case shape(String)
    case nonFinite(role: String)

    public var description: String {
        switch self {
        case .shape(let message): "head training: \(message)"
        case .nonFinite(let role): "head training: the \(role) embeddings contain NaN or infinite values (recompute them)"
        }
    }
}
