import Foundation
import Testing

/// Issue 4, point 2 from the command line: `--warmup N` (PyTorch's LinearLR from lr/3, stepped per
/// epoch) and `--clip-norm MAX` reach the trainer, show in every epoch's learning rate, and are
/// recorded in the model's training settings so the run can be repeated.
@Suite("train --warmup and --clip-norm", .serialized)
final class TrainScheduleOptionsTests {
    let work: URL
    let popular: URL
    let other: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-trainopts-\(UUID().uuidString)")
        popular = work.appendingPathComponent("popular")
        other = work.appendingPathComponent("other")
        try BadCorpus.copyExampleCovers("popular", count: 6, to: popular)
        try BadCorpus.copyExampleCovers("other", count: 6, to: other)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    func train(_ extra: [String], out: String) throws -> CLI.Outcome {
        try CLI.run(["train", "--popular", popular.path, "--other", other.path, "--epochs", "4", "--seed", "1",
                     "--out", work.appendingPathComponent(out).path, "--model", try CLI.model(),
                     "--cache", work.appendingPathComponent("cache.sqlite").path] + extra, in: work)
    }

    /// The `training` JSON in a model file's safetensors metadata.
    func trainingSettings(_ model: URL) throws -> JSONFile {
        guard let header = SafetensorsHeader(try Data(contentsOf: model)) else {
            throw JSONFile.Problem(description: "\(model.path): not a safetensors file")
        }
        let metadata = try JSONFile(try JSONFile(header.json, in: model).object("__metadata__"), in: model)
        return try JSONFile(model, parsing: Data(try metadata.string("training").utf8))
    }

    @Test("--warmup 2 --lr 0.003: epochs learn at 0.001, 0.002, 0.003, 0.003; both settings are in the model")
    func warmupAndClipping() throws {
        let run = try train(["--lr", "0.003", "--warmup", "2", "--clip-norm", "0.5"], out: "warm")
        try #require(run.status == 0, "\(run)")
        let log = try JSONFile(work.appendingPathComponent("warm/training-log.json"))
        let rates = try log.array("epochs").map { try JSONFile($0, in: log.url).double("learningRate") }
        let expected = [0.001, 0.002, 0.003, 0.003]
        #expect(rates.count == 4 && zip(rates, expected).allSatisfy { abs($0 - $1) < 1e-12 },
                "learning rates \(rates), expected \(expected)")

        let settings = try trainingSettings(work.appendingPathComponent("warm/model.safetensors"))
        #expect(try settings.double("gradientClipNorm") == 0.5)
        #expect(try JSONFile(try settings.object("schedule"), in: settings.url).int("warmupSteps") == 2)

        // Clipping at a tiny norm holds the head almost still under SGD (Adam's step ignores the
        // gradient's scale), so the option must reach the optimiser, not just the metadata.
        let clipped = try train(["--optimizer", "sgd", "--lr", "0.01", "--clip-norm", "1e-6"], out: "tiny")
        let free = try train(["--optimizer", "sgd", "--lr", "0.01"], out: "free")
        try #require(clipped.status == 0 && free.status == 0, "\(clipped)\n\(free)")
        let losses = { (folder: String) in
            try JSONFile(self.work.appendingPathComponent("\(folder)/training-log.json")).array("epochs")
                .map { try JSONFile($0, in: self.work).double("trainLoss") }
        }
        let (tiny, unclipped) = (try losses("tiny"), try losses("free"))
        #expect(abs(tiny[3] - tiny[0]) < abs(unclipped[3] - unclipped[0]) / 10,
                "clip-norm 1e-6 train losses \(tiny) should barely move; unclipped \(unclipped)")
    }

    @Test("--warmup as long as the run, or negative, is refused with exit 64 and a message naming it")
    func warmupMustBeShorterThanTheRun() throws {
        for value in ["4", "-1"] {
            let run = try train(["--warmup", value], out: "bad")
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("--warmup"), "\(run)")
        }
    }
}
