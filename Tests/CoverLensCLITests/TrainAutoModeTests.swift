import Foundation
import Testing

/// Issue 14 part 2's acceptance from the command line: `train` with its defaults on a set of at
/// least 2,000 covers chooses its mode from the data and says which and why. `--plan` shows the
/// decision without training (an end-to-end run on 2,000 generated covers is
/// `Benchmarks/auto-train.sh`, quoted in the README); a small real run shows the same lines.
@Suite("train --mode auto", .serialized)
final class TrainAutoModeTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-auto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    /// What `train` says (on standard output; progress goes to standard error).
    func lines(_ run: CLI.Outcome) -> [String] { run.stdout.split(separator: "\n").map(String.init) }

    /// `perClass` covers in each class folder of `name`: hard links to the example covers (the
    /// plan counts files; it decodes none).
    func dataSet(_ name: String, perClass: Int) throws -> URL {
        let root = work.appendingPathComponent(name)
        for role in ["popular", "other"] {
            let folder = root.appendingPathComponent(role)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let sources = try BadCorpus.exampleCovers(role)
            try #require(!sources.isEmpty, "example covers in Examples/\(role)")
            for i in 0..<perClass {
                try FileManager.default.linkItem(at: sources[i % sources.count],
                                                 to: folder.appendingPathComponent(String(format: "cover-%05d.jpg", i)))
            }
        }
        return root
    }

    @Test("2,000 covers (1,600 for training): head mode, and why; 3,750 covers (3,000 for training): full fine-tuning")
    func planChoosesFromTheNumberOfCovers() throws {
        let small = try CLI.run(["train", try dataSet("small", perClass: 1_000).path, "--plan", "--model", try CLI.model()], in: work)
        try #require(small.status == 0, "\(small)")
        #expect(lines(small).contains("chosen: mode head: 1600 training covers, fewer than the 3000 from which auto mode fine-tunes"),
                "\(small)")
        #expect(lines(small).contains { $0.hasPrefix("plan: mode head, epochs 20, lr 1e-3, patience none, weight decay chosen by inner validation") },
                "\(small)")

        let large = try CLI.run(["train", try dataSet("large", perClass: 1_875).path, "--plan", "--budget", "30", "--model", try CLI.model()],
                                in: work)
        try #require(large.status == 0, "\(large)")
        #expect(lines(large).contains { $0.hasPrefix("chosen: mode full: 3000 training covers, at least 3000") }, "\(large)")
        #expect(lines(large).contains("plan: mode full, epochs 5, lr 1e-3, backbone lr 1e-4, patience 2, weight decay 0, budget 30 min"),
                "\(large)")

        // What the user gives is kept: an explicit mode chooses nothing but head mode's weight decay.
        let explicit = try CLI.run(["train", work.appendingPathComponent("large").path, "--plan", "--mode", "partial", "--epochs", "3",
                                    "--model", try CLI.model()], in: work)
        try #require(explicit.status == 0, "\(explicit)")
        #expect(!lines(explicit).contains { $0.hasPrefix("chosen:") }, "\(explicit)")
        #expect(lines(explicit).contains("plan: mode partial, epochs 3, lr 1e-3, backbone lr 1e-3, patience none, weight decay 0"),
                "\(explicit)")
    }

    @Test("train with its defaults says what it chose, and the model file and log record it")
    func defaultRunSaysWhatItChose() throws {
        let data = work.appendingPathComponent("few")
        try BadCorpus.copyExampleCovers("popular", count: 8, to: data.appendingPathComponent("popular"))
        try BadCorpus.copyExampleCovers("other", count: 8, to: data.appendingPathComponent("other"))
        let out = work.appendingPathComponent("out")
        let run = try CLI.run(["train", data.path, "--epochs", "3", "--out", out.path, "--model", try CLI.model(),
                               "--cache", work.appendingPathComponent("cache.sqlite").path], in: work)
        try #require(run.status == 0, "\(run)")
        #expect(lines(run).contains("chosen: mode head: 12 training covers, fewer than the 3000 from which auto mode fine-tunes"), "\(run)")
        let decay = try #require(lines(run).first { $0.hasPrefix("chosen: weight decay ") }, "\(run)")
        #expect(decay.contains("mean inner-validation AUC") && decay.contains("over 3 folds of the training covers"), "\(decay)")

        let log = try JSONFile(out.appendingPathComponent("training-log.json"))
        #expect(try log.array("choices").count == 2)
        guard let header = SafetensorsHeader(try Data(contentsOf: out.appendingPathComponent("model.safetensors"))) else {
            Issue.record("model.safetensors is not a safetensors file")
            return
        }
        let metadata = try JSONFile(try JSONFile(header.json, in: out).object("__metadata__"), in: out)
        #expect(try metadata.string("choices").contains("mode head: 12 training covers"))
    }

    @Test("--budget 0 and --backbone-lr -1 are usage errors naming the flag")
    func badBudgetIsAUsageError() throws {
        let data = try dataSet("tiny", perClass: 4)
        for (flag, value) in [("--budget", "0"), ("--backbone-lr", "-1")] {
            let run = try CLI.run(["train", data.path, flag, value, "--plan", "--model", try CLI.model()], in: work)
            #expect(run.status == 64 && run.stderr.contains(flag), "\(run)")
        }
    }
}
