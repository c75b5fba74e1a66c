import Foundation
import Networks
import Support

/// What every checkpoint stores beside its weights, head or fine-tuning, written and read in this
/// one place: the optimiser's tensors and settings, then the format, version, epoch, config, random
/// generator, history, best epoch, early-stopping flag and the fingerprints a resume checks.
/// `TrainingCheckpoint` and `FineTuneCheckpoint` differ only in their `format` and their weights.
///
/// Reading refuses a damaged file with `CheckpointFileError.notACheckpoint`, naming the field.
struct CheckpointRunState {
    var config: TrainingConfig
    var history: [EpochMetrics]
    var best: HeadTrainingSession.Best?
    /// The generator that draws the next epoch's shuffle.
    var generator: SeededGenerator
    var stoppedEarly: Bool
    /// `LabelledEmbeddings.fingerprint` of the data the run was trained on.
    var data: String
    /// `CoverModel.embeddingFingerprint` of the base model.
    var baseModel: String
    /// The optimiser's moments and step counts, not yet checked against the restored model.
    var optimizerState: OptimizerState

    /// The metadata of `s`, with the optimiser's tensors added to `tensors`.
    static func metadata(_ s: some EpochHistory, optimizer: any Optimizer, generator: SeededGenerator, format: String,
                         version: String, data: String, baseModel: String, into tensors: inout StateDict) throws -> [String: String] {
        let optimizer = optimizer.state()
        for (name, tensor) in optimizer.tensors().sorted(by: { $0.key < $1.key }) { tensors[name] = StoredTensor(tensor) }
        var metadata = optimizer.metadata()
        metadata["format"] = format
        metadata["version"] = version
        metadata["epoch"] = String(s.epochsDone)
        metadata["config"] = try TrainingCheckpoint.json(s.config)
        metadata["rng"] = try TrainingCheckpoint.json(generator)
        metadata["history"] = try TrainingCheckpoint.json(s.history)
        if let best = s.best { metadata["best"] = try TrainingCheckpoint.json(best) }
        metadata["stoppedEarly"] = String(s.stoppedEarly)
        metadata["data"] = data
        metadata["baseModel"] = baseModel
        return metadata
    }

    /// The run state `metadata` wrote into `file` (read from `path`), which must be of `format` and `version`.
    init(_ file: SafeTensors, path: String, format: String, version: String) throws {
        typealias Failure = TrainingCheckpoint.CheckpointFileError
        let m = file.metadata
        guard m["format"] == format else {
            throw Failure.notACheckpoint(path: path, detail: "metadata format is '\(m["format"] ?? "missing")'")
        }
        guard m["version"] == version else {
            throw Failure.notACheckpoint(path: path, detail: "version \(m["version"] ?? "missing") is not \(version)")
        }
        func field<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = m[key] else { throw Failure.notACheckpoint(path: path, detail: "no '\(key)' metadata") }
            do { return try TrainingLog.decoder.decode(T.self, from: Data(text.utf8)) } catch {
                throw Failure.notACheckpoint(path: path, detail: "metadata '\(key)' cannot be read: \(error)")
            }
        }
        config = try field("config", TrainingConfig.self)
        history = try field("history", [EpochMetrics].self)
        guard history.count == Int(m["epoch"] ?? "") else {
            throw Failure.notACheckpoint(path: path, detail: "epoch \(m["epoch"] ?? "missing") but \(history.count) epochs of history")
        }
        best = m["best"] == nil ? nil : try field("best", HeadTrainingSession.Best.self)
        generator = try field("rng", SeededGenerator.self)
        stoppedEarly = m["stoppedEarly"] == "true"
        data = m["data"] ?? ""
        baseModel = m["baseModel"] ?? ""
        optimizerState = try OptimizerState(tensors: file.tensors.names.reduce(into: [:]) { $0[$1] = try? file.tensor($1) },
                                            metadata: m, source: path)
    }

    /// The saved optimiser, once its state fits `parameters` (the restored model's).
    func optimizer(for parameters: [Parameter]) throws -> any Optimizer {
        try optimizerState.validate(against: parameters)
        return optimizerState.kind == "sgd" ? try SGD(restoring: optimizerState) : try Adam(restoring: optimizerState)
    }
}
