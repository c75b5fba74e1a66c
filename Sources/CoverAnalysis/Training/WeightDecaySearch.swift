import Foundation
import Support
import Tensors

/// Head mode's L2 penalty chosen on the training split alone, by inner validation: the training
/// covers are cut into `folds` stratified, seeded folds; for every candidate a head trains on all
/// folds but one (the run's own settings, best epoch kept as `train` keeps it) and is scored on the
/// fold left out; the candidate with the highest mean validation AUC wins (ties: lower mean loss,
/// then the smaller penalty). The validation split of the run itself is never looked at, so its
/// AUC still says how well the chosen head does on covers it was not tuned on.
///
/// A tuned logistic regression on the same frozen features beat untuned head mode slightly on real
/// covers (0.902 against 0.896 held-out AUC); this is that tuning for the head. Deterministic: the
/// folds come from the seed, and each head trains in a fixed order on one thread.
public struct WeightDecaySearch: Sendable, Equatable {
    /// Adam's L2 penalties tried, from none to strong (decades, as scikit-learn's `Cs` grid).
    public static let candidates: [Double] = [0, 1e-4, 1e-3, 1e-2, 1e-1]
    public static let folds = 3
    /// Mixed into the seed for the folds, so they do not repeat the run's own split.
    static let foldSeedSalt: UInt64 = 0x5EED_F01D_0000_0003

    public struct Score: Sendable, Equatable {
        public var weightDecay: Double
        /// Mean over the folds of the kept epoch's validation AUC (nil when a fold's AUC was undefined).
        public var meanAUC: Double?
        public var meanLoss: Double
    }

    public var scores: [Score]
    public var chosen: Double
    public var foldCount: Int

    /// nil when a class has fewer covers than folds (inner validation would be blind).
    public init?(features: Tensor, labels: [Float], config: TrainingConfig,
                 candidates: [Double] = WeightDecaySearch.candidates, folds: Int = WeightDecaySearch.folds) throws {
        let positives = labels.filter { $0 > 0.5 }.count
        guard folds >= 2, positives >= folds, labels.count - positives >= folds else { return nil }
        let assignment = Self.folds(labels: labels, count: folds, seed: config.seed ^ Self.foldSeedSalt)
        var scores: [Score] = []
        for decay in candidates {
            var inner = config
            inner.weightDecay = decay
            inner.validationSplit = 0
            var aucs: [Double] = [], losses: [Double] = []
            for fold in 0..<folds {
                let held = labels.indices.filter { assignment[$0] == fold }
                let kept = labels.indices.filter { assignment[$0] != fold }
                let result = try HeadTrainer.train(
                    features: HeadTrainer.gatherRows(features, kept), labels: kept.map { labels[$0] },
                    validation: (HeadTrainer.gatherRows(features, held), held.map { labels[$0] }), config: inner)
                let keptMetrics = result.history[result.bestEpoch - 1].validation
                if let auc = keptMetrics?.rocAUC { aucs.append(auc) }
                losses.append(keptMetrics?.loss ?? .infinity)
            }
            scores.append(Score(weightDecay: decay, meanAUC: aucs.count == folds ? aucs.reduce(0, +) / Double(folds) : nil,
                                meanLoss: losses.reduce(0, +) / Double(folds)))
        }
        self.scores = scores
        foldCount = folds
        chosen = scores.max { a, b in Self.worse(a, than: b) }!.weightDecay
    }

    /// Whether `a` loses to `b`: lower mean AUC, then higher mean loss, then the larger penalty.
    static func worse(_ a: Score, than b: Score) -> Bool {
        let (x, y) = (a.meanAUC ?? -1, b.meanAUC ?? -1)
        if x != y { return x < y }
        if a.meanLoss != b.meanLoss { return a.meanLoss > b.meanLoss }
        return a.weightDecay > b.weightDecay
    }

    /// Each example's fold in 0..<count: every class shuffled on its own and dealt round-robin, so
    /// each fold holds each class's share.
    static func folds(labels: [Float], count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        for positive in [false, true] {
            let members = generator.shuffled(labels.indices.filter { (labels[$0] > 0.5) == positive })
            for (position, index) in members.enumerated() { fold[index] = position % count }
        }
        return fold
    }

    /// "weight decay 0.001: mean inner-validation AUC 0.8731 over 3 folds of the training covers (0: 0.8702, …)".
    public var choice: String {
        func auc(_ s: Score) -> String { s.meanAUC.map { String(format: "%.4f", $0) } ?? "undefined" }
        let best = scores.first { $0.weightDecay == chosen }!
        let others = scores.map { "\(TrainingPlan.text($0.weightDecay)): \(auc($0))" }.joined(separator: ", ")
        return "weight decay \(TrainingPlan.text(chosen)): mean inner-validation AUC \(auc(best)) over \(foldCount) folds "
            + "of the training covers (\(others))"
    }
}
