import Foundation
import Networks

/// The state of a head-mode run after a finished epoch, as one `.safetensors` file written
/// atomically (temporary file, fsync, rename) after every epoch, so a run killed at any moment
/// leaves either the previous or the new checkpoint, never a torn one.
///
/// Tensors: `head.weight` [1, D], `head.bias` [1] (the head after the epoch), `best.weight`,
/// `best.bias` (the best validation epoch's head), `optimizer.<parameter>.<buffer>` (Adam's moments).
/// Metadata: `format`, `version`, `epoch`, `config`, `rng` (the generator that draws the next
/// epoch's shuffle), `history`, `best`, `stoppedEarly`, `data` (which examples it was trained on),
/// `baseModel` (the embedding fingerprint), `optimizer` (kind, hyper-parameters, step counts): `CheckpointRunState`;
/// with `--budget`, `budgetSeconds` and `budgetSpentSeconds` (`TrainingBudget`).
public struct TrainingCheckpoint: Sendable {
    public static let format = "coverlens-checkpoint"
    public static let version = "1"

    public var session: HeadTrainingSession
    /// `LabelledEmbeddings.fingerprint` of the training data (+ validation data).
    public var dataFingerprint: String
    /// `CoverModel.embeddingFingerprint` of the backbone that made the embeddings.
    public var baseModel: String
    /// `--budget` and the time spent against it (`TrainingBudget`); nil = none.
    public var budget: TrainingBudget?

    public init(session: HeadTrainingSession, dataFingerprint: String, baseModel: String, budget: TrainingBudget? = nil) {
        self.session = session
        self.dataFingerprint = dataFingerprint
        self.baseModel = baseModel
        self.budget = budget
    }

    public enum CheckpointFileError: Error, CustomStringConvertible, Equatable {
        case notACheckpoint(path: String, detail: String)
        case differentData(path: String)
        case differentModel(path: String)
        case differentConfig(path: String, detail: String)

        public var description: String {
            switch self {
            case .notACheckpoint(let p, let d): "\(p): not a CoverLens training checkpoint (\(d)); start without --resume"
            case .differentData(let p): "\(p): was trained on other covers than these; resume with the same data, or start without --resume"
            case .differentModel(let p): "\(p): was trained on another base model's embeddings; pass the same --model, or start without --resume"
            case .differentConfig(let p, let d): "\(p): was written with other settings (\(d)); resume with the same settings, or start without --resume"
            }
        }
    }

    public func write(to url: URL) throws {
        let s = session
        var tensors = StateDict(source: url.path)
        tensors["head.weight"] = StoredTensor(s.head.weight.value)
        tensors["head.bias"] = StoredTensor(s.head.bias.value)
        if let best = s.bestHead {
            tensors["best.weight"] = StoredTensor(best.weight.value)
            tensors["best.bias"] = StoredTensor(best.bias.value)
        }
        let metadata = try CheckpointRunState.metadata(s, optimizer: s.optimizer, generator: s.generator, format: Self.format,
                                                       version: Self.version, data: dataFingerprint, baseModel: baseModel,
                                                       into: &tensors)
        try SafeTensors(tensors: tensors, metadata: metadata.merging(budget?.metadata ?? [:]) { a, _ in a }).write(to: url)
    }

    public init(contentsOf url: URL) throws {
        let file = try SafeTensors(contentsOf: url)
        let path = url.path
        let run = try CheckpointRunState(file, path: path, format: Self.format, version: Self.version)
        func head(_ prefix: String) throws -> Linear {
            let stored = ModulePath(prefix)
            let weight = try file.tensor(stored.key("weight")), bias = try file.tensor(stored.key("bias"))
            guard weight.rank == 2, weight.shape[0] == 1, bias.shape == [1] else {
                throw CheckpointFileError.notACheckpoint(path: path, detail: "\(prefix) has shapes \(weight.shape), \(bias.shape); expected [1, D], [1]")
            }
            return Linear(weight: weight, bias: bias, path: ModulePath("fc"))
        }
        let current = try head("head")
        let bestHead = run.best == nil ? nil : try head("best")
        session = HeadTrainingSession(config: run.config, head: current, optimizer: try run.optimizer(for: current.parameters),
                                      generator: run.generator, history: run.history, best: run.best, bestHead: bestHead,
                                      stoppedEarly: run.stoppedEarly)
        dataFingerprint = run.data
        baseModel = run.baseModel
        budget = TrainingBudget.recorded(in: file.metadata)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = TrainingLog.encoder
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
