import Foundation
import Tensors

/// Binary cross-entropy on raw logits, PyTorch's `BCEWithLogitsLoss(reduction="mean", pos_weight=…)`.
///
/// Per element, with σ the logistic function, y the target in [0, 1] and w the positive weight:
///
///     ℓ(x, y) = −[ w·y·log σ(x) + (1 − y)·log(1 − σ(x)) ]
///             = (1 − y)·x − (1 + (w − 1)·y)·log σ(x)
///
/// which is PyTorch's own arrangement. `log σ(x) = min(x, 0) − log1p(exp(−|x|))` never overflows,
/// so logits of ±1000 give finite losses; with w = 1 this is the familiar
/// `max(x, 0) − x·y + log1p(exp(−|x|))`. The loss is the mean over all elements.
///
/// `pos_weight` > 1 raises the cost of missed positives — the usual remedy when popular covers are
/// the minority class (PyTorch suggests negatives/positives).
public struct BCEWithLogits: Sendable {
    /// One weight per output column (the last dimension), or a single weight for all; nil = 1.
    public var positiveWeight: [Float]?

    public init(positiveWeight: [Float]? = nil) {
        self.positiveWeight = positiveWeight
    }

    /// Convenience for the one-logit heads CoverLens trains.
    public init(positiveWeight: Float?) {
        self.positiveWeight = positiveWeight.map { [$0] }
    }

    /// Mean loss, accumulated in Double. logits, targets: same shape, e.g. [N, 1].
    public func loss(logits: Tensor, targets: Tensor) -> Double {
        evaluate(logits: logits, targets: targets, wantGradient: false).loss
    }

    /// dL/dlogits of the mean loss, same shape as `logits`.
    public func gradient(logits: Tensor, targets: Tensor) -> Tensor {
        evaluate(logits: logits, targets: targets, wantGradient: true).gradient
    }

    /// Loss and dL/dlogits in one pass (what a training step wants).
    public func lossAndGradient(logits: Tensor, targets: Tensor) -> (loss: Double, gradient: Tensor) {
        evaluate(logits: logits, targets: targets, wantGradient: true)
    }

    /// The per-element loss ℓ(x, y) for one logit, in Double.
    @inlinable
    public static func elementLoss(logit x: Double, target y: Double, positiveWeight w: Double = 1) -> Double {
        let logSigmoid = min(x, 0) - log1p(exp(-abs(x)))
        return (1 - y) * x - (1 + (w - 1) * y) * logSigmoid
    }

    /// dℓ/dx = (1 − y) − (1 + (w − 1)·y)·σ(−x), which is σ(x) − y for w = 1.
    @inlinable
    public static func elementGradient(logit x: Double, target y: Double, positiveWeight w: Double = 1) -> Double {
        (1 - y) - (1 + (w - 1) * y) * sigmoid(-x)
    }

    /// σ(x) without overflow for large |x|.
    @inlinable
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    private func evaluate(logits: Tensor, targets: Tensor, wantGradient: Bool) -> (loss: Double, gradient: Tensor) {
        precondition(logits.shape == targets.shape,
                     "BCEWithLogits: logits \(logits.shape) and targets \(targets.shape) differ in shape")
        let count = logits.count
        guard count > 0 else { return (0, Tensor(shape: logits.shape)) }
        let columns = max(1, logits.shape.last ?? 1)
        let weights = positiveWeight ?? [1]
        precondition(weights.count == 1 || weights.count == columns,
                     "BCEWithLogits: \(weights.count) positive weights for \(columns) outputs")
        var gradient = wantGradient ? Tensor(shape: logits.shape) : Tensor(shape: [0])
        let scale = 1 / Double(count)   // the mean reduction
        var total = 0.0
        for i in 0..<count {
            let x = Double(logits.storage[i])
            let y = Double(targets.storage[i])
            let w = Double(weights.count == 1 ? weights[0] : weights[i % columns])
            total += Self.elementLoss(logit: x, target: y, positiveWeight: w)
            if wantGradient {
                gradient.storage[i] = Float(Self.elementGradient(logit: x, target: y, positiveWeight: w) * scale)
            }
        }
        return (total * scale, gradient)
    }
}
