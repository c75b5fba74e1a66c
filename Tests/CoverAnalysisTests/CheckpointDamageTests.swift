import Foundation
import Testing
import Networks
@testable import CoverAnalysis

/// A checkpoint whose run-state metadata is damaged is refused with an error that names the field,
/// for head-mode (`TrainingCheckpoint`) and fine-tuning (`FineTuneCheckpoint`) checkpoints alike.
@Suite(.serialized) struct CheckpointDamageTests {
    typealias Failure = TrainingCheckpoint.CheckpointFileError

    /// One damaged field: the metadata change and the start of the detail the error must give.
    struct Damage: CustomStringConvertible, Sendable {
        var field: String
        var value: String?
        var detail: String
        var description: String { "\(field) = \(value ?? "nil")" }
    }

    static let damages = [
        Damage(field: "format", value: "other-program", detail: "metadata format is 'other-program'"),
        Damage(field: "version", value: "9", detail: "version 9 is not 1"),
        Damage(field: "version", value: nil, detail: "version missing is not 1"),
        Damage(field: "config", value: nil, detail: "no 'config' metadata"),
        Damage(field: "config", value: "{\"epochs\":", detail: "metadata 'config' cannot be read: "),
        Damage(field: "history", value: "[{]", detail: "metadata 'history' cannot be read: "),
        Damage(field: "history", value: "[]", detail: "epoch 1 but 0 epochs of history"),
        Damage(field: "epoch", value: "7", detail: "epoch 7 but 1 epochs of history"),
        Damage(field: "best", value: "\"best\"", detail: "metadata 'best' cannot be read: "),
        Damage(field: "rng", value: nil, detail: "no 'rng' metadata"),
        Damage(field: "rng", value: "12", detail: "metadata 'rng' cannot be read: "),
    ]

    /// Rewrites `url` with `damage` applied to its metadata.
    static func damage(_ url: URL, _ damage: Damage) throws {
        var file = try SafeTensors(contentsOf: url)
        file.metadata[damage.field] = damage.value
        try file.write(to: url)
    }

    static func expectRefusal(_ path: String, _ damage: Damage, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(damage): the damaged checkpoint was accepted")
        } catch let error as Failure {
            guard case .notACheckpoint(let p, let detail) = error else {
                Issue.record("\(damage): \(error), expected notACheckpoint")
                return
            }
            #expect(p == path, "\(damage): the error names the file")
            #expect(detail.hasPrefix(damage.detail), "\(damage): detail '\(detail)' should start with '\(damage.detail)'")
        } catch {
            Issue.record("\(damage): \(error), expected a CheckpointFileError")
        }
    }

    @Test(arguments: damages)
    func headCheckpointNamesTheDamagedField(_ damage: Damage) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("damage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (x, y) = HeadTrainerTests.clusters(count: 40, dimensions: 8, separation: 0.5, seed: 3)
        let split = StratifiedSplit(labels: y, validationFraction: 0.25, seed: 1)
        var session = try HeadTrainingSession(config: TrainingConfig(), inputs: 8)
        _ = session.runEpoch(features: HeadTrainer.gatherRows(x, split.training), labels: split.training.map { y[$0] },
                             validation: (HeadTrainer.gatherRows(x, split.validation), split.validation.map { y[$0] }))
        #expect(session.best != nil, "one epoch with validation data has a best epoch")
        let url = folder.appendingPathComponent("checkpoint.safetensors")
        try TrainingCheckpoint(session: session, dataFingerprint: "d", baseModel: "m").write(to: url)
        #expect(try TrainingCheckpoint(contentsOf: url).session.epochsDone == 1, "the undamaged checkpoint reads")
        try Self.damage(url, damage)
        Self.expectRefusal(url.path, damage) { _ = try TrainingCheckpoint(contentsOf: url) }
    }

    @Test func fineTuneCheckpointNamesTheDamagedField() throws {
        let space = try TrainingFixtures.Workspace(popular: 4, other: 4)
        let validation = try FineTuneTrainerTests.writeValidation(space, count: 2)
        let config = FineTuneTrainerTests.config(.partial, epochs: 2)
        let stopped = try FineTuneTrainerTests.run(space, out: "run", config: config, validation: validation, stopAfter: 1)
        let url = stopped.checkpointFile, undamaged = try Data(contentsOf: url)
        #expect(try SafeTensors(contentsOf: url).metadata["best"] != nil, "one epoch with validation data has a best epoch")
        for damage in Self.damages {
            try undamaged.write(to: url)
            try Self.damage(url, damage)
            Self.expectRefusal(url.path, damage) {
                _ = try FineTuneTrainerTests.run(space, out: "run", config: config, validation: validation, resume: true)
            }
        }
    }
}
