import Foundation
import Networks

/// The settings `coverlens train` leaves to the data: the mode (`--mode auto`, the default) and
/// any of `--epochs`, `--lr`, `--backbone-lr`, `--weight-decay` and `--patience` not given.
public struct AutomaticSettings: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let mode = AutomaticSettings(rawValue: 1 << 0)
    public static let epochs = AutomaticSettings(rawValue: 1 << 1)
    public static let learningRate = AutomaticSettings(rawValue: 1 << 2)
    public static let backboneLearningRate = AutomaticSettings(rawValue: 1 << 3)
    public static let weightDecay = AutomaticSettings(rawValue: 1 << 4)
    public static let patience = AutomaticSettings(rawValue: 1 << 5)
    public static let all: AutomaticSettings = [.mode, .epochs, .learningRate, .backboneLearningRate, .weightDecay, .patience]
}

/// What `--mode auto` does with a data set, decided from the number of training covers alone
/// (never the clock or the machine), so the same data and seed give the same model anywhere.
///
/// - Below `fineTuningFrom` training covers: head mode, as before (seconds on cached embeddings),
///   its weight decay chosen by inner validation (`WeightDecaySearch`) unless given.
/// - From `fineTuningFrom` on: full fine-tuning, the head at `learningRate`, the backbone at a
///   tenth of it, `ceil(coverPasses / covers)` epochs within `epochRange`, stopping after
///   `patience` epochs without a better validation AUC; the best epoch is kept.
///
/// Why these numbers (README, "How the defaults were chosen"): on 4,848 real covers (3,879 for
/// training and validation) full fine-tuning at lr 1e-4 beat head mode by 0.045 held-out AUC and
/// partial fine-tuning at 1e-3 by 0.038, and full was still rising after three epochs (about
/// 9,300 cover passes) while partial at 1e-3 peaked after one; on 2,000 generated covers (1,600
/// for training) no mode beat head mode by more than the noise. So fine-tuning starts a little
/// below the size where it was seen to pay on real covers, with about 15,000 cover passes and
/// early stopping to catch the peak.
public struct TrainingPlan: Sendable, Equatable {
    /// Where auto mode switches; tests lower it to exercise the fine-tuning branch on a few covers.
    public struct Rule: Sendable, Equatable {
        /// Training covers from which auto mode fine-tunes.
        public var fineTuningFrom = 3_000
        /// Epochs × training covers that auto fine-tuning aims at.
        public var coverPasses = 15_000
        public var epochRange = 2...6
        /// The head's learning rate over the backbone's.
        public var backboneDivisor = 10.0
        public var patience = 2
        public init() {}
    }

    /// The settings the run uses (every automatic one filled in).
    public var config: TrainingConfig
    /// One line per setting chosen here, saying what and why ("mode full: …").
    public var choices: [String]
    /// Whether head mode should choose its weight decay by inner validation once the covers are embedded.
    public var searchesWeightDecay: Bool

    /// - Parameters:
    ///   - config: the settings as asked; those in `automatic` are replaced.
    ///   - trainingCovers: covers the run trains on (listed, before decoding; the validation share taken off).
    public init(config asked: TrainingConfig, automatic: AutomaticSettings, trainingCovers: Int, rule: Rule = Rule()) {
        var config = asked
        var choices: [String] = []
        let covers = String(trainingCovers)
        let chosenMode = automatic.contains(.mode)
        if chosenMode {
            if trainingCovers >= rule.fineTuningFrom {
                config.mode = .full
                choices.append("mode full: \(covers) training covers, at least \(rule.fineTuningFrom), "
                               + "where fine-tuning paid on real covers")
            } else {
                config.mode = .head
                choices.append("mode head: \(covers) training covers, fewer than the \(rule.fineTuningFrom) "
                               + "from which auto mode fine-tunes")
            }
        }
        if chosenMode && config.mode != .head {
            if automatic.contains(.epochs) {
                let wanted = (rule.coverPasses + max(trainingCovers, 1) - 1) / max(trainingCovers, 1)
                config.epochs = min(max(wanted, rule.epochRange.lowerBound), rule.epochRange.upperBound)
                choices.append("epochs \(config.epochs): about \(rule.coverPasses) cover passes over "
                               + "\(covers) covers, within \(rule.epochRange.lowerBound)–\(rule.epochRange.upperBound)")
            }
            if automatic.contains(.backboneLearningRate) {
                config.backboneLearningRate = config.learningRate / rule.backboneDivisor
                choices.append("backbone learning rate \(Self.text(config.backboneLearningRate!)): "
                               + "the head's \(Self.text(config.learningRate)) / \(Self.text(rule.backboneDivisor))")
            }
            if automatic.contains(.patience) {
                config.earlyStoppingPatience = rule.patience
                choices.append("early stopping after \(rule.patience) epochs without a better validation AUC; the best epoch is kept")
            }
        }
        self.config = config
        self.choices = choices
        searchesWeightDecay = config.mode == .head && automatic.contains(.weightDecay)
    }

    /// A number as a user would type it: 0.0001 as 1e-4, 0.1 as 0.1.
    public static func text(_ x: Double) -> String {
        if x == 0 { return "0" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
        if x >= 0.01 { return String(x) }
        let exponent = Int((log10(x)).rounded(.down))
        let mantissa = x / pow(10, Double(exponent))
        let m = abs(mantissa - mantissa.rounded()) < 1e-9 ? String(Int(mantissa.rounded())) : String(mantissa)
        return "\(m)e\(exponent)"
    }
}
