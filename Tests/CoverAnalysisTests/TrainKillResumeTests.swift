@testable import CoverAnalysis
import Foundation
import Networks
import Support
import Testing

/// The acceptance test of resumable training: `coverlens train` killed with SIGKILL mid-run, then
/// resumed, ends with the same model bytes as a run that was never interrupted.
@Suite(.serialized) struct TrainKillResumeTests {
    /// The `coverlens` executable built beside this test bundle (swift test builds every target).
    static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [beside.appendingPathComponent("coverlens"), beside.deletingLastPathComponent().appendingPathComponent("coverlens"),
                          repository.appendingPathComponent(".build/release/coverlens"), repository.appendingPathComponent(".build/debug/coverlens")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "coverlens executable (looked in \(candidates.map(\.path)))"])
        }
        return found
    }

    static func train(_ space: TrainingFixtures.Workspace, out: String, epochs: Int, resume: Bool = false,
                      mode: [String] = []) throws -> ChildProcess {
        try ChildProcess(executable: try executable().path, arguments: ["train", space.data.path, "--model", space.model.path, "--out", space.url(out).path,
                             "--epochs", String(epochs), "--batch", "4", "--lr", "0.003", "--seed", "11", "--threads", "1",
                             "--cache", space.url("cache.sqlite").path] + (resume ? ["--resume"] : []) + mode)
    }

    /// No `--mode` (auto mode, which chooses head mode and its weight decay for these few covers)
    /// over many epochs; partial fine-tuning (augmented, so the frozen layers run every step) and
    /// full fine-tuning with the backbone at a rate of its own, as auto mode fine-tunes, over fewer.
    @Test(arguments: [(150, [String]()), (12, ["--mode", "partial", "--trainable-blocks", "2"]),
                      (12, ["--mode", "full", "--backbone-lr", "0.0003"])])
    func killedAndResumedRunEndsWithTheUninterruptedModel(_ epochs: Int, _ mode: [String]) throws {
        let space = try TrainingFixtures.Workspace()
        let whole = try Self.train(space, out: "whole", epochs: epochs, mode: mode)   // also fills the embedding cache
        #expect(whole.wait() == .success, "uninterrupted run exit status")

        let victim = try Self.train(space, out: "killed", epochs: epochs, mode: mode)
        let checkpoint = space.url("killed/checkpoint.safetensors")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline && victim.isRunning { usleep(2_000) }
        usleep(150_000)
        victim.send(SIGKILL)
        #expect(victim.wait().signalled, "the run was killed, not finished")
        #expect(!FileManager.default.fileExists(atPath: space.url("killed/model.safetensors").path), "killed before the end")

        // Every visible file the killed run left is complete.
        let done = try Int(#require(SafeTensors(contentsOf: checkpoint).metadata["epoch"])) ?? -1
        #expect(done >= 1 && done < epochs, "killed mid-run at epoch \(done)")
        let log = try TrainingLog.decoder.decode(TrainingLog.self, from: Data(contentsOf: space.url("killed/training-log.json")))
        #expect(log.epochs.count >= done - 1 && log.epochs.count <= done)

        let resumed = try Self.train(space, out: "killed", epochs: epochs, resume: true, mode: mode)
        #expect(resumed.wait() == .success, "resumed run exit status")
        let a = try Data(contentsOf: space.url("whole/model.safetensors"))
        let b = try Data(contentsOf: space.url("killed/model.safetensors"))
        #expect(a == b, "resumed model (\(b.count) bytes) is byte-identical to the uninterrupted one (\(a.count) bytes)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: space.url("killed").path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }
}
