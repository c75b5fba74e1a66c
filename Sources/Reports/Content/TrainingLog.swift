import CoverAnalysis
import Foundation

/// Per-epoch training metrics for the report's loss curves, read from `training-log.json`.
///
/// The flat form (`epoch`, `trainLoss`, `validationLoss`, `validationAccuracy`, `validationAUC`) is
/// what the report needs; `read(from:)` also accepts the trainer's own `[EpochMetrics]` history
/// (bare or under `"history"`/`"epochs"`), so either writer's log works.
public struct TrainingLog: Codable, Equatable, Sendable {
    public struct Epoch: Codable, Equatable, Sendable {
        public var epoch: Int
        public var trainLoss: Double
        public var validationLoss: Double?
        public var validationAccuracy: Double?
        public var validationAUC: Double?

        public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationAccuracy: Double? = nil,
                    validationAUC: Double? = nil) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
            self.validationAUC = validationAUC
        }
    }

    public var epochs: [Epoch]
    /// The epoch whose weights were kept; nil lets the figure choose the lowest validation loss.
    public var bestEpoch: Int?

    public init(epochs: [Epoch], bestEpoch: Int? = nil) {
        self.epochs = epochs
        self.bestEpoch = bestEpoch
    }

    /// From the head trainer's history (`HeadTrainingResult.history`).
    public init(history: [EpochMetrics], bestEpoch: Int? = nil) {
        self.epochs = history.map {
            Epoch(epoch: $0.epoch, trainLoss: $0.training.loss, validationLoss: $0.validation?.loss,
                  validationAccuracy: $0.validation?.accuracy, validationAUC: $0.validation?.rocAUC)
        }
        self.bestEpoch = bestEpoch
    }

    public static func read(from url: URL) throws -> TrainingLog {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError.unreadableTrainingLog(path: url.path, reason: "cannot be read")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        struct Nested: Decodable {
            var history: [EpochMetrics]?
            var epochs: [EpochMetrics]?
            var bestEpoch: Int?
        }
        if let log = try? decoder.decode(TrainingLog.self, from: data), !log.epochs.isEmpty { return log }
        if let epochs = try? decoder.decode([Epoch].self, from: data), !epochs.isEmpty { return TrainingLog(epochs: epochs) }
        if let nested = try? decoder.decode(Nested.self, from: data), let history = nested.history ?? nested.epochs,
           !history.isEmpty {
            return TrainingLog(history: history, bestEpoch: nested.bestEpoch)
        }
        if let history = try? decoder.decode([EpochMetrics].self, from: data), !history.isEmpty {
            return TrainingLog(history: history)
        }
        throw ReportError.unreadableTrainingLog(
            path: url.path, reason: "expected epochs with epoch, trainLoss and optional validation metrics")
    }
}
