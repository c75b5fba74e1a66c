import Foundation
import Testing

/// Issue 8, point 5: each way a run cannot start gives one sentence saying what is wrong and what
/// to do, and its own exit status (documented in `coverlens --help`).
@Suite("Actionable errors", .serialized)
final class ActionableErrorTests {
    let work: URL
    let popular: URL
    let candidates: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-errors-\(UUID().uuidString)")
        popular = work.appendingPathComponent("popular")
        candidates = work.appendingPathComponent("candidates")
        try BadCorpus.copyExampleCovers("popular", count: 4, to: popular)
        try BadCorpus.copyExampleCovers("candidates", count: 2, to: candidates)
    }

    /// Swift Testing makes one instance per test: its work folder goes with it.
    deinit { try? FileManager.default.removeItem(at: work) }

    /// One `error:` line that names `subject` and says what to do (`advice`), and status `status`.
    func expectOneSentence(_ outcome: CLI.Outcome, status: Int32, subject: String, advice: [String]) {
        #expect(!outcome.signalled, "crashed: \(outcome)")
        #expect(outcome.status == status, "exit status should be \(status): \(outcome)")
        let errors = outcome.messages.filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "one error line expected: \(outcome)")
        guard let line = errors.first else { return }
        #expect(line.contains(subject), "the error should name \(subject): \(line)")
        #expect(advice.contains { line.contains($0) }, "the error should say what to do (\(advice)): \(line)")
        #expect(!line.contains("Error Domain") && !line.contains("(null)"), "raw Foundation error shown: \(line)")
    }

    func score(popular: String, out: String? = nil, model: String? = nil) throws -> CLI.Outcome {
        try CLI.run(["score", "--popular", popular, "--candidates", candidates.path, "--format", "json,csv",
                     "--out", out ?? work.appendingPathComponent("out").path, "--model", try model ?? CLI.model(), "--no-cache"], in: work)
    }

    @Test("a missing folder: exit 4, names the folder, says check the path")
    func missingFolder() throws {
        let missing = work.appendingPathComponent("no-such-folder").path
        expectOneSentence(try score(popular: missing), status: 4, subject: missing, advice: ["check the path"])
    }

    @Test("an empty folder: exit 4 for score and for embed")
    func emptyFolder() throws {
        let empty = work.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        expectOneSentence(try score(popular: empty.path), status: 4, subject: empty.path, advice: ["expected JPEG, PNG, WebP, TIFF, HEIC/AVIF or PDF files"])
        let embed = try CLI.run(["embed", empty.path, "--out", work.appendingPathComponent("e.csv").path,
                                 "--model", try CLI.model(), "--no-cache"], in: work)
        expectOneSentence(embed, status: 4, subject: empty.path, advice: ["expected JPEG, PNG, WebP, TIFF, HEIC/AVIF or PDF files"])
    }

    @Test("a model file that is not a model, or missing: exit 5 with what to do")
    func badModelFile() throws {
        let text = work.appendingPathComponent("notes.safetensors")
        try Data("not a model\n".utf8).write(to: text)
        expectOneSentence(try score(popular: popular.path, model: text.path), status: 5, subject: text.path,
                          advice: ["not a safetensors or PyTorch .pth file"])
        let missing = work.appendingPathComponent("gone.safetensors").path
        expectOneSentence(try score(popular: popular.path, model: missing), status: 5, subject: missing, advice: ["scripts/setup.sh", "--model"])
    }

    @Test("weights of another architecture: exit 5, says which architecture they are and to change --arch")
    func otherArchitecture() throws {
        let model = try CLI.pytorchWeights()
        let outcome = try CLI.run(["import-weights", model, "--arch", "resnet18", "--out", work.appendingPathComponent("r.safetensors").path], in: work)
        expectOneSentence(outcome, status: 5, subject: model, advice: ["--arch"])
        #expect(outcome.messages.first { $0.hasPrefix("error:") }?.contains("efficientnet-lite0 checkpoint") == true, "\(outcome)")
    }

    @Test("an output folder that cannot be created: exit 6 for score, embed and report")
    func unwritableOutput() throws {
        // Under a regular file: unwritable even for root, who ignores mode 555.
        let file = work.appendingPathComponent("a-file.txt")
        try Data("x".utf8).write(to: file)
        let out = file.appendingPathComponent("sub").path
        let scored = try score(popular: popular.path, out: out)
        expectOneSentence(scored, status: 6, subject: file.path, advice: ["choose", "--out"])
        let embed = try CLI.run(["embed", popular.path, "--out", out + "/e.csv", "--model", try CLI.model(), "--no-cache"], in: work)
        expectOneSentence(embed, status: 6, subject: file.path, advice: ["choose", "--out"])
        let good = try score(popular: popular.path)
        #expect(good.status == 0, "score into a fresh folder: \(good)")
        let report = try CLI.run(["report", work.appendingPathComponent("out/results.json").path, "--format", "html", "--out", out], in: work)
        expectOneSentence(report, status: 6, subject: file.path, advice: ["choose another --out"])
    }

    @Test("train with one class: exit 4, says the other class is needed")
    func oneClass() throws {
        let data = work.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: popular, to: data.appendingPathComponent("popular"))
        let outcome = try CLI.run(["train", data.path, "--epochs", "1", "--out", work.appendingPathComponent("t").path,
                                   "--model", try CLI.model(), "--no-cache"], in: work)
        expectOneSentence(outcome, status: 4, subject: data.path, advice: ["other", "class", "folder"])
    }

    @Test("--help documents every exit status")
    func helpListsStatuses() throws {
        let help = try CLI.run(["--help"], in: work)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for status in ["3 done, but some files were skipped", "4 an input file or folder", "5 the model file", "6 an output file", "64 bad arguments"] {
            #expect(text.contains(status), "--help should document '\(status)': \(text.suffix(600))")
        }
    }

    @Test("--max-megapixels 0 or below: exit 64 with the option named, for every command that reads folders")
    func nonPositiveMegapixelLimit() throws {
        for arguments in [["embed", popular.path, "--out", work.appendingPathComponent("e.csv").path],
                          ["score", "--popular", popular.path, "--candidates", candidates.path]] {
            let outcome = try CLI.run(arguments + ["--max-megapixels", "0", "--no-cache"], in: work)
            #expect(outcome.status == 64 && !outcome.signalled, "\(outcome)")
            #expect(outcome.stderr.contains("--max-megapixels must be a positive number"), "\(outcome)")
        }
    }
}
