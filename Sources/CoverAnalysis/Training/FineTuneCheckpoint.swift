import Foundation
import Networks

/// The state of a partial or full fine-tuning run after a finished epoch, as one `.safetensors`
/// file written atomically after every epoch (like `TrainingCheckpoint`, whose errors it shares).
///
/// Tensors: `model.<name>` (the session's `learningState()`: trainable backbone parameters, every
/// BatchNorm running statistic, the head), `best.<name>` (the same for the best validation epoch),
/// `optimizer.<parameter>.<buffer>`. The frozen rest of the backbone is the base model's, checked
/// by its fingerprint. Metadata: `CheckpointRunState`, with its own `format`.
enum FineTuneCheckpoint {
    static let format = "coverlens-finetune-checkpoint"
    static let version = "1"

    /// `budget` (with the seconds spent against it as `spentBefore`) goes into the metadata when given.
    static func write<Network>(_ s: FineTuneSession<Network>, dataFingerprint: String, baseModel: String,
                               budget: TrainingBudget? = nil, to url: URL) throws {
        var tensors = StateDict(source: url.path)
        let (model, best) = (ModulePath("model"), ModulePath("best"))
        for (name, tensor) in s.learningState().entries { tensors[model.key(name)] = tensor }
        for (name, tensor) in s.bestState?.entries ?? [] { tensors[best.key(name)] = tensor }
        let metadata = try CheckpointRunState.metadata(s, optimizer: s.optimizer, generator: s.generator, format: format,
                                                       version: version, data: dataFingerprint, baseModel: baseModel,
                                                       into: &tensors)
        try SafeTensors(tensors: tensors, metadata: metadata.merging(budget?.metadata ?? [:]) { a, _ in a }).write(to: url)
    }

    /// The session saved in `url`, rebuilt on `fresh` (a new session over the base model, whose
    /// frozen layers the checkpoint does not store), with the data and base-model fingerprints it recorded.
    static func read<Network>(_ url: URL, onto fresh: FineTuneSession<Network>) throws
        -> (session: FineTuneSession<Network>, data: String, baseModel: String, budget: TrainingBudget?) {
        typealias Failure = TrainingCheckpoint.CheckpointFileError
        let path = url.path
        let file = try SafeTensors(contentsOf: url)
        let m = file.metadata
        if m["format"] == TrainingCheckpoint.format {
            throw Failure.differentConfig(path: path, detail: "it holds a head-mode run, this is --mode \(fresh.config.mode.rawValue)")
        }
        let run = try CheckpointRunState(file, path: path, format: format, version: version)
        func state(_ prefix: String) throws -> StateDict {
            var state = StateDict(source: path)
            for name in file.tensors.names where name.hasPrefix(prefix) {
                state[String(name.dropFirst(prefix.count))] = file.tensors[name]
            }
            // Every saved tensor must be one of this model's, with its shape.
            let expected = fresh.learningState()
            for (name, tensor) in state.entries where expected[name]?.shape != tensor.shape {
                throw Failure.notACheckpoint(path: path, detail: "\(prefix)\(name) \(tensor.shape) does not fit this model (\(expected[name]?.shape.description ?? "no such tensor"))")
            }
            return state
        }
        let model: FineTuningModel<Network>
        do { model = try FineTuneSession.model(fresh.model, with: try state("model.")) } catch let e as Failure {
            throw e
        } catch {
            throw Failure.notACheckpoint(path: path, detail: "its model tensors cannot be used: \(error)")
        }
        let bestState = run.best == nil ? nil : try state("best.")
        let optimizer = try run.optimizer(for: model.head.parameters + model.backbone.parameters)
        let session = FineTuneSession(config: run.config, model: model, optimizer: optimizer, generator: run.generator,
                                      history: run.history, best: run.best, bestState: bestState, stoppedEarly: run.stoppedEarly)
        return (session, run.data, run.baseModel, TrainingBudget.recorded(in: m))
    }
}
