import CoverAnalysis
import Foundation

/// Reading `training-log.json` for the report's loss curves. The type itself lives in
/// CoverAnalysis, beside the trainer that writes it; this reader also accepts the trainer's bare
/// `[EpochMetrics]` history (plain or under `"history"`/`"epochs"`) and a flat epoch array.
extension TrainingLog {
    public static func read(from url: URL) throws -> TrainingLog {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError.unreadableTrainingLog(path: url.path, reason: "cannot be read")
        }
        let decoder = Self.decoder
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
