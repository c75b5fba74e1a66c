import Networks
import Tensors

/// The outcome of head-mode training.
public struct HeadTrainingResult: Sendable {
    /// The head to keep: the epoch with the lowest validation loss when there is validation data,
    /// otherwise the head after the last epoch.
    public var head: LinearHead
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
    /// Splits `features` into training and validation by `config.validationSplit` (stratified,
    /// seeded), then trains. features: [N, D]; labels: N values, 1 = popular.
    public static func train(features: Tensor, labels: [Float], config: TrainingConfig,
                             progress: ((EpochMetrics) -> Void)? = nil) throws -> HeadTrainingResult {
        try checkShapes(features, labels, "training")
        let split = StratifiedSplit(labels: labels, validationFraction: config.validationSplit,
                                    seed: config.seed ^ 0x5EED_5B11_7000_0001)
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

        let (n, d) = (features.shape[0], features.shape[1])
        var generator = SeededGenerator(seed: config.seed)
        var head = LinearHead(inputs: d, outputs: 1, prefix: "fc", generator: &generator)
        var optimizer = config.makeOptimizer()
        let loss = BCEWithLogits(positiveWeight: config.positiveWeight.map { Float($0) })
        let schedule = config.effectiveSchedule
        let positiveWeight = config.positiveWeight.map { Float($0) }

        var history: [EpochMetrics] = []
        var best: (loss: Double, epoch: Int, head: LinearHead)?
        var stoppedEarly = false
        for epoch in 1...config.epochs {
            optimizer.learningRate = schedule.learningRate(at: epoch - 1, base: config.learningRate)
            let seen = runEpoch(&head, &optimizer, order: generator.permutation(n), features: features, labels: labels,
                                batchSize: config.batchSize, loss: loss, clipNorm: config.gradientClipNorm)

            let validationMetrics = validation.map {
                BinaryClassificationMetrics(logits: head.forward($0.features).storage, labels: $0.labels,
                                            positiveWeight: positiveWeight)
            }
            let metrics = EpochMetrics(epoch: epoch, learningRate: optimizer.learningRate,
                                       training: BinaryClassificationMetrics(logits: seen.logits, labels: seen.labels,
                                                                             positiveWeight: positiveWeight),
                                       validation: validationMetrics)
            history.append(metrics)
            progress?(metrics)

            if let v = validationMetrics {
                if best.map({ v.loss < $0.loss }) ?? true { best = (v.loss, epoch, head) }
                if let patience = config.earlyStoppingPatience, let b = best, epoch - b.epoch >= patience, epoch < config.epochs {
                    stoppedEarly = true
                    break
                }
            }
        }
        return HeadTrainingResult(head: best?.head ?? head, history: history,
                                  bestEpoch: best?.epoch ?? history.count, stoppedEarly: stoppedEarly,
                                  optimizerState: optimizer.state(), split: nil)
    }

    /// One pass over the training examples in `order`, one optimiser step per minibatch.
    /// Returns the logits each example got when its minibatch was forwarded, and its label.
    private static func runEpoch(_ head: inout LinearHead, _ optimizer: inout any Optimizer, order: [Int],
                                 features: Tensor, labels: [Float], batchSize: Int, loss: BCEWithLogits,
                                 clipNorm: Double?) -> (logits: [Float], labels: [Float]) {
        var batch = Tensor(shape: [0, features.shape[1]])
        var seenLogits: [Float] = [], seenLabels: [Float] = []
        seenLogits.reserveCapacity(order.count)
        seenLabels.reserveCapacity(order.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let rows = order[start..<min(start + batchSize, order.count)]
            gatherRows(features, rows, into: &batch)                                // [b, D]
            let targets = Tensor(shape: [rows.count, 1], storage: rows.map { labels[$0] })

            head.zeroGradients()
            let logits = head.forward(batch)                                      // [b, 1]
            let (_, dLogits) = loss.lossAndGradient(logits: logits, targets: targets)
            head.backward(dLogits, input: batch, wantInputGradient: false)
            if let maxNorm = clipNorm {
                var parameters = head.parameters
                clipGradientNorm(&parameters, maxNorm: maxNorm)
                head.weight.gradient = parameters[0].gradient
                head.bias.gradient = parameters[1].gradient
            }
            head.updateParameters { optimizer.update(&$0) }
            seenLogits += logits.storage
            seenLabels += targets.storage
        }
        return (seenLogits, seenLabels)
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
