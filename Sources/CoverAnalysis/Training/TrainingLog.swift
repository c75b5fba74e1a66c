import Foundation
import Support

/// Every epoch's numbers of a training run, written as `training-log.json` beside the model: the
/// source of the report's loss curves and of any figure a user wants to draw.
///
/// One flat record per epoch (`epoch`, `trainLoss`, `validationLoss`, `validationAccuracy`,
/// `validationAUC`, precision, recall, F1, confusion matrix, learning rate, seconds), so the file
/// reads without knowing CoverLens's types. The report's reader (`TrainingLog.read(from:)` in
/// Reports) also accepts bare `[EpochMetrics]` histories.
public struct TrainingLog: Codable, Equatable, Sendable {
    public struct Epoch: Codable, Equatable, Sendable {
        /// 1-based.
        public var epoch: Int
        public var trainLoss: Double
        public var trainAccuracy: Double?
        public var validationLoss: Double?
        /// Decision at probability 0.5 (logit 0).
        public var validationAccuracy: Double?
        public var validationAUC: Double?
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
        public var confusion: ConfusionMatrix?
        public var learningRate: Double?
        /// Wall-clock time of the epoch (training and validation); the only field that differs between repeated runs.
        public var seconds: Double?

        public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationAccuracy: Double? = nil,
                    validationAUC: Double? = nil) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
            self.validationAUC = validationAUC
        }

        /// The flat record of one trainer epoch.
        public init(_ metrics: EpochMetrics, seconds: Double? = nil) {
            self.init(epoch: metrics.epoch, trainLoss: metrics.training.loss, validationLoss: metrics.validation?.loss,
                      validationAccuracy: metrics.validation?.accuracy, validationAUC: metrics.validation?.rocAUC)
            trainAccuracy = metrics.training.accuracy
            precision = metrics.validation?.precision
            recall = metrics.validation?.recall
            f1 = metrics.validation?.f1
            confusion = metrics.validation?.confusion
            learningRate = metrics.learningRate
            self.seconds = seconds
        }
    }

    public var epochs: [Epoch]
    /// The epoch whose weights were kept; nil lets a figure choose the lowest validation loss.
    public var bestEpoch: Int?
    public var stoppedEarly: Bool?
    public var config: TrainingConfig?
    /// Covers used per class folder, training and validation together.
    public var classCounts: [String: Int]?
    public var trainingCount: Int?
    public var validationCount: Int?
    /// Settings chosen from the data and why (`--mode auto`, head mode's weight decay), one line each.
    public var choices: [String]?
    /// `--budget` in minutes, and whether it ended the run early.
    public var budgetMinutes: Double?
    public var stoppedForBudget: Bool?

    public init(epochs: [Epoch], bestEpoch: Int? = nil) {
        self.epochs = epochs
        self.bestEpoch = bestEpoch
    }

    /// From the head trainer's history (`HeadTrainingResult.history`).
    public init(history: [EpochMetrics], bestEpoch: Int? = nil) {
        self.init(epochs: history.map { Epoch($0) }, bestEpoch: bestEpoch)
    }

    /// JSON with sorted keys; NaN and infinities (a diverged loss) as the strings "nan", "inf", "-inf".
    public func encoded() throws -> Data {
        try Self.encoder.encode(self)
    }

    /// Writes the log atomically, so a reader never sees half a file even if the run is killed.
    public func write(to url: URL) throws {
        try AtomicFile.write(try encoded(), to: url)
    }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
