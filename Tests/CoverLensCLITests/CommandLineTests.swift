import Foundation
import Support
import Testing

/// Issue 16: the command line as users meet it — class folders that cannot mislead, overlapping
/// inputs refused, checks before work, scriptable output, defaults that follow the user. Each test
/// is a row of the table or one of its new flags, asserting the behaviour and the exit status.
@Suite("Command line (issue 16)", .serialized)
final class CommandLineTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-cli16-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    func url(_ path: String) -> URL { work.appendingPathComponent(path) }

    /// `role` covers from Examples/ copied into `path`.
    @discardableResult
    func covers(_ role: String, _ count: Int, into path: String) throws -> URL {
        try BadCorpus.copyExampleCovers(role, count: count, to: url(path))
        return url(path)
    }

    func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> CLI.Outcome {
        try CLI.run(arguments, in: directory ?? work, timeout: 600, environment: environment)
    }

    func json(_ outcome: CLI.Outcome) throws -> JSONFile {
        let data = Data(outcome.stdout.utf8)
        return try JSONFile(url("stdout.json"), parsing: data)
    }

    func errorLines(_ outcome: CLI.Outcome) -> [String] { outcome.messages.filter { $0.hasPrefix("error:") } }

    // MARK: class folders (point 1)

    @Test("train DATA on synth's layout: candidates/ is not a class and is named as unused; evaluate --json --quiet reads the same layout")
    func synthLayoutTrainsOnTwoClasses() throws {
        try covers("popular", 4, into: "data/popular")
        try covers("other", 4, into: "data/other")
        try covers("candidates", 2, into: "data/candidates")
        let trained = try run(["train", url("data").path, "--epochs", "2", "--out", url("t").path, "--model", try CLI.model(), "--no-cache"])
        try #require(trained.status == 0, "\(trained)")
        #expect(trained.stdout.contains("covers: popular (positive): 4, other: 4;"), "\(trained.stdout)")
        #expect(!trained.stdout.contains("candidates:"), "candidates/ was used as a class: \(trained.stdout)")
        let notes = trained.messages.filter { $0.contains("not used as a class") }
        #expect(notes.count == 1 && notes[0].contains("candidates/"), "\(trained.messages)")

        let evaluated = try run(["evaluate", url("t/model.safetensors").path, url("data").path, "--out", url("e.json").path,
                                 "--no-cache", "--json", "--quiet"])
        #expect(evaluated.status == 0, "\(evaluated)")
        #expect(evaluated.stderr.isEmpty, "--quiet printed: \(evaluated.stderr)")
        let document = try json(evaluated)
        #expect(try document.string("command") == "evaluate" && document.int("status") == 0)
        #expect(try document.string("metrics") == url("e.json").path)
        let evaluation = try JSONFile(try document.object("evaluation"), in: url("stdout.json"))
        #expect(try evaluation.array("classCounts").count == 2, "two classes expected: \(evaluation.object)")
        #expect(try document.array("warnings").contains { ($0 as? String)?.contains("candidates/") == true },
                "the unused-folder note belongs in the document's warnings")
    }

    @Test("two folders, neither popular/: exit 4 naming both and --positive; more than two without other/: exit 4 naming --negative")
    func ambiguousLayoutsAreRefused() throws {
        try covers("popular", 1, into: "two/bestseller")
        try covers("other", 1, into: "two/midlist")
        let two = try run(["train", url("two").path, "--epochs", "1", "--out", url("t").path, "--model", try CLI.model(), "--no-cache"])
        #expect(two.status == 4, "\(two)")
        let line = errorLines(two).first ?? ""
        #expect(errorLines(two).count == 1 && line.contains("bestseller/") && line.contains("midlist/") && line.contains("--positive"), "\(two)")

        try covers("popular", 1, into: "three/popular")
        try covers("other", 1, into: "three/midlist")
        try covers("other", 1, into: "three/backlist")
        let three = try run(["train", url("three").path, "--epochs", "1", "--out", url("t").path, "--model", try CLI.model(), "--no-cache"])
        #expect(three.status == 4 && errorLines(three).first?.contains("--negative") == true, "\(three)")
    }

    @Test("--negative NAME picks the not-popular class among several and names the rest in one line")
    func negativeFlag() throws {
        try covers("popular", 3, into: "data/popular")
        try covers("other", 3, into: "data/midlist")
        try covers("other", 2, into: "data/backlist")
        let trained = try run(["train", url("data").path, "--negative", "midlist", "--epochs", "1", "--out", url("t").path,
                               "--model", try CLI.model(), "--no-cache"])
        #expect(trained.status == 0, "\(trained)")
        #expect(trained.stdout.contains("covers: popular (positive): 3, midlist: 3;"), "\(trained.stdout)")
        let notes = trained.messages.filter { $0.contains("not used as a class") }
        #expect(notes.count == 1 && notes[0].contains("backlist/"), "\(trained.messages)")
        let missing = try run(["train", url("data").path, "--negative", "nope", "--epochs", "1", "--out", url("t2").path,
                               "--model", try CLI.model(), "--no-cache"])
        #expect(missing.status == 4 && errorLines(missing).first?.contains("'nope'") == true, "\(missing)")
    }

    // MARK: overlapping inputs (point 2)

    @Test("overlapping folders across --popular, --other, --candidates and --val: exit 64, one sentence naming both flags")
    func overlappingInputs() throws {
        let popular = try covers("popular", 2, into: "p")
        try covers("candidates", 1, into: "p/new")
        let model = try CLI.model()
        let cases: [[String]] = [
            ["score", "--popular", popular.path, "--candidates", popular.path],
            ["score", "--popular", popular.path, "--candidates", url("p/new").path],
            ["score", "--popular", popular.path, "--other", url("p/../p").path, "--candidates", url("c").path],
            ["train", "--popular", popular.path, "--other", popular.path],
            ["train", url("data").path, "--val", url("data/popular").path],
        ]
        for arguments in cases {
            let outcome = try run(arguments + ["--model", model, "--no-cache"])
            #expect(outcome.status == 64, "\(outcome)")
            let said = outcome.stderr
            #expect(said.contains("same folder") || said.contains("is inside"), "\(outcome)")
        }
    }

    @Test("the same cover in --popular and --other is named and left out of both (exit 3); a candidate identical to a popular cover stays; score --json parses")
    func duplicateAcrossRoles() throws {
        let popular = try covers("popular", 4, into: "p")
        let other = try covers("other", 3, into: "o")
        let candidates = try covers("candidates", 1, into: "c")
        let twin = try #require(try FileManager.default.contentsOfDirectory(atPath: popular.path).sorted().first)
        try FileManager.default.copyItem(at: popular.appendingPathComponent(twin), to: other.appendingPathComponent("same-as-popular.jpg"))
        try FileManager.default.copyItem(at: popular.appendingPathComponent(twin), to: candidates.appendingPathComponent("copy.jpg"))
        let scored = try run(["score", "--popular", popular.path, "--other", other.path, "--candidates", candidates.path,
                              "--format", "json,csv", "--out", url("out").path, "--model", try CLI.model(), "--no-cache", "--json"])
        #expect(scored.status == 3, "\(scored)")
        let mistakes = scored.messages.filter { $0.contains("labelling mistake") }
        #expect(mistakes.count == 2, "both copies named once: \(scored.messages)")
        #expect(mistakes.contains { $0.contains("popular/\(twin)") } && mistakes.contains { $0.contains("other/same-as-popular.jpg") })

        let document = try json(scored)
        #expect(try document.string("command") == "score" && document.int("status") == 3)
        #expect(try document.int("popular") == 3 && document.int("other") == 3, "left out of both: \(document.object)")
        let skipped = try document.array("skipped").compactMap { $0 as? [String: Any] }
        #expect(skipped.count == 2 && skipped.allSatisfy { ($0["reason"] as? String)?.contains("labelling mistake") == true }, "\(skipped)")
        let candidatesScored = try document.array("candidates").compactMap { ($0 as? [String: Any])?["file"] as? String }
        #expect(candidatesScored.contains("copy.jpg"), "the candidate copy of a popular cover must stay: \(candidatesScored)")
        #expect(FileManager.default.fileExists(atPath: try document.string("results")))
        #expect(!scored.stdout.contains("candidates scored against"), "--json keeps the table off standard output")
    }

    @Test("train: the same cover in both classes is named and left out of both, in head and partial mode (exit 3)",
          arguments: ["head", "partial"])
    func duplicateAcrossClassesInTraining(mode: String) throws {
        let popular = try covers("popular", 3, into: "p")
        let other = try covers("other", 3, into: "o")
        let twin = try #require(try FileManager.default.contentsOfDirectory(atPath: popular.path).sorted().first)
        try FileManager.default.copyItem(at: popular.appendingPathComponent(twin), to: other.appendingPathComponent("mislabelled.jpg"))
        let trained = try run(["train", "--popular", popular.path, "--other", other.path, "--mode", mode, "--epochs", "1",
                               "--val-split", "0", "--out", url("t").path, "--model", try CLI.model(), "--no-cache"])
        #expect(trained.status == 3, "\(trained)")
        #expect(trained.stdout.contains("covers: popular (positive): 2, other: 3;"), "left out of both: \(trained.stdout)")
        let mistakes = trained.messages.filter { $0.contains("labelling mistake") }
        #expect(mistakes.count == 2 && mistakes.contains { $0.contains(twin) } && mistakes.contains { $0.contains("mislabelled.jpg") },
                "\(trained.messages)")
    }

    @Test("--json when the run fails: one JSON document with the error and the exit status")
    func jsonDocumentOfAFailure() throws {
        let outcome = try run(["score", "--popular", url("missing").path, "--candidates", url("c").path, "--model", try CLI.model(),
                               "--no-cache", "--json", "--out", url("out").path])
        #expect(outcome.status == 4, "\(outcome)")
        let document = try json(outcome)
        #expect(try document.int("status") == 4 && document.string("command") == "score")
        #expect(try document.string("error").contains("no such folder"), "\(document.object)")
    }

    // MARK: fail early (point 3)

    @Test("bad option values: exit 64 naming the flag (--top-k 0, --val-split 1.5, --epochs 0)")
    func badValuesNameTheFlag() throws {
        let popular = try covers("popular", 1, into: "p")
        let model = try CLI.model()
        let topK = try run(["score", "--popular", popular.path, "--candidates", url("c").path, "--top-k", "0", "--model", model])
        #expect(topK.status == 64 && topK.stderr.contains("--top-k must be at least 1"), "\(topK)")
        let split = try run(["train", "--popular", popular.path, "--other", url("o").path, "--val-split", "1.5", "--model", model])
        #expect(split.status == 64 && split.stderr.contains("--val-split must be in [0, 1), got 1.5"), "\(split)")
        let epochs = try run(["train", "--popular", popular.path, "--other", url("o").path, "--epochs", "0", "--model", model])
        #expect(epochs.status == 64 && epochs.stderr.contains("--epochs must be at least 1, got 0"), "\(epochs)")
        #expect(!epochs.stderr.contains("--warmup"), "the warm-up is not what is wrong: \(epochs)")
    }

    @Test("report nope.json: exit 4, says no such file")
    func reportMissingFile() throws {
        let outcome = try run(["report", url("nope.json").path])
        #expect(outcome.status == 4, "\(outcome)")
        #expect(errorLines(outcome).count == 1 && outcome.stderr.contains("no such file"), "\(outcome)")
    }

    @Test("score --out FILE where FILE is a file: exit 6 before any cover is decoded")
    func outIsAFile() throws {
        let popular = try covers("popular", 2, into: "p")
        let candidates = try covers("candidates", 1, into: "c")
        try Data("keep".utf8).write(to: url("taken"))
        let outcome = try run(["score", "--popular", popular.path, "--candidates", candidates.path, "--out", url("taken").path,
                               "--model", try CLI.model(), "--no-cache"])
        #expect(outcome.status == 6, "\(outcome)")
        #expect(errorLines(outcome).first?.contains("is a file, not a folder") == true, "\(outcome)")
        #expect(outcome.stdout.isEmpty && !outcome.stderr.contains("popular:"), "work was done before the check: \(outcome)")
        #expect(try String(contentsOf: url("taken"), encoding: .utf8) == "keep")

        // The same check comes first in train and demo.
        let train = try run(["train", "--popular", popular.path, "--other", candidates.path, "--out", url("taken").path,
                             "--model", try CLI.model(), "--no-cache"])
        #expect(train.status == 6 && train.stdout.isEmpty && train.stderr.contains("is a file, not a folder"), "\(train)")
        let demo = try run(["demo", "--out", url("taken").path, "--model", try CLI.model(), "--no-cache"])
        #expect(demo.status == 6 && demo.stdout.isEmpty && demo.stderr.contains("is a file, not a folder"), "\(demo)")
        #expect(try String(contentsOf: url("taken"), encoding: .utf8) == "keep")
    }

    @Test("train --out NEW.safetensors: refused (exit 6) before any cover is decoded, saying --out is a folder")
    func outNamedLikeAFile() throws {
        let popular = try covers("popular", 2, into: "p")
        let other = try covers("candidates", 2, into: "o")
        let train = try run(["train", "--popular", popular.path, "--other", other.path, "--out", url("model.safetensors").path,
                             "--model", try CLI.model(), "--no-cache"])
        #expect(train.status == 6 && train.stdout.isEmpty, "\(train)")
        #expect(errorLines(train).first?.contains("names a .safetensors file, but --out is the folder") == true, "\(train)")
        #expect(!FileManager.default.fileExists(atPath: url("model.safetensors").path))
    }

    @Test("--format csv into a folder that holds more than a report: refused (exit 6) like html mode, results.csv left alone")
    func csvModeRefusesForeignFolder() throws {
        let popular = try covers("popular", 2, into: "p")
        let candidates = try covers("candidates", 1, into: "c")
        try FileManager.default.createDirectory(at: url("mine"), withIntermediateDirectories: true)
        try Data("my notes".utf8).write(to: url("mine/notes.txt"))
        try Data("my,table\n".utf8).write(to: url("mine/results.csv"))
        let outcome = try run(["score", "--popular", popular.path, "--candidates", candidates.path, "--out", url("mine").path,
                               "--format", "csv", "--model", try CLI.model(), "--no-cache"])
        #expect(outcome.status == 6 && outcome.stderr.contains("refusing to replace it"), "\(outcome)")
        #expect(try String(contentsOf: url("mine/results.csv"), encoding: .utf8) == "my,table\n")
        #expect(outcome.stdout.isEmpty, "work was done before the check: \(outcome)")
    }

    /// The table's "score in a read-only working folder" row. The default cache of the tests'
    /// runs lives in the working folder (CLI.start points XDG_CACHE_HOME there), as the cache used
    /// to: read-only, it is given up with one warning and the run goes on.
    @Test("score in a read-only working folder: runs without the default cache, one warning naming --no-cache, exit 0")
    func unusableDefaultCache() throws {
        let popular = try covers("popular", 2, into: "p")
        let candidates = try covers("candidates", 1, into: "c")
        let readOnly = try ReadOnlyFolder(at: url("ro")) { _ in }
        try #require(readOnly != nil, "no read-only folder can be made here (no tmpfs mount)")
        defer { readOnly?.release() }
        let arguments = ["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "json,csv",
                         "--out", url("out").path, "--model", try CLI.model()]
        // The logs go beside the read-only folder: nothing can be written in it.
        let logs = url("ro-run")
        let process = try CLI.start(arguments, in: url("ro"), logs: logs)
        let outcome = CLI.finish(process, arguments: arguments, logs: logs)
        #expect(outcome.status == 0, "\(outcome)")
        let warnings = outcome.messages.filter { $0.contains("without the embedding cache") }
        #expect(warnings.count == 1 && warnings[0].contains("--no-cache") && warnings[0].contains(url("ro").path), "\(outcome.messages)")
        #expect(FileManager.default.fileExists(atPath: url("out/results.json").path))
    }

    @Test("report after the covers moved: a warning names them and says what to do; exit 0")
    func reportWarnsWhenCoversMoved() throws {
        let popular = try covers("popular", 2, into: "p")
        let candidates = try covers("candidates", 1, into: "c")
        let scored = try run(["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "html",
                              "--out", url("out").path, "--model", try CLI.model(), "--no-cache"])
        try #require(scored.status == 0, "\(scored)")
        #expect(!scored.stderr.contains("could not be found"), "\(scored)")
        // Progress on a log (not a terminal): full phase names, rates with their unit, and the
        // report step's real steps (covers, figures, files, html, zip), not 0/1 then 1/1.
        let reportLines = scored.messages.filter { $0.hasPrefix("report: ") }
        #expect(reportLines.count >= 4 && reportLines.last?.hasPrefix("report: 5/5") == true, "\(scored.messages)")
        #expect(scored.messages.contains { $0.hasPrefix("candidates: 1/1") }, "\(scored.messages)")
        #expect(scored.messages.contains { $0.contains(" covers/s") }, "no rate with its unit: \(scored.messages)")
        try FileManager.default.createDirectory(at: url("moved"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url("out/results.json"), to: url("moved/results.json"))
        let rendered = try run(["report", url("moved/results.json").path, "--format", "html"])
        #expect(rendered.status == 0, "\(rendered)")
        let warnings = rendered.messages.filter { $0.contains("could not be found") }
        #expect(warnings.count == 1 && warnings[0].contains("3 covers") && warnings[0].contains("--popular"), "\(rendered.messages)")
    }

    // MARK: scriptable output (point 4)

    @Test("--json on inspect and embed: one JSON document on stdout; --quiet prints nothing else; --verbose names the model and cache")
    func jsonQuietVerbose() throws {
        let popular = try covers("popular", 2, into: "p")
        try Data("not an image".utf8).write(to: url("p/broken.jpg"))
        let files = try FileManager.default.contentsOfDirectory(atPath: popular.path).sorted().map { popular.appendingPathComponent($0).path }
        let inspected = try run(["inspect"] + files + ["--json"])
        #expect(inspected.status == 3, "\(inspected)")
        let report = try json(inspected)
        #expect(try report.int("ok") == 2 && report.int("failed") == 1 && report.array("files").count == 3, "\(report.object)")

        let quiet = try run(["inspect"] + files + ["--quiet"])
        #expect(quiet.status == 3 && quiet.stdout.split(separator: "\n").count == 1 && quiet.stdout.contains("broken.jpg"), "\(quiet)")

        let embedded = try run(["embed", popular.path, "--out", url("e.csv").path, "--model", try CLI.model(), "--json", "--quiet"],
                               environment: ["XDG_CACHE_HOME": url("xdg").path])
        #expect(embedded.status == 3, "\(embedded)")
        #expect(embedded.stderr.isEmpty, "--quiet printed: \(embedded.stderr)")
        let document = try json(embedded)
        #expect(try document.int("embeddings") == 2 && document.string("output") == url("e.csv").path)
        #expect(try document.array("skipped").count == 1)

        let verbose = try run(["embed", popular.path, "--out", url("v.csv").path, "--model", try CLI.model(), "--verbose"],
                              environment: ["XDG_CACHE_HOME": url("xdg").path])
        #expect(verbose.messages.contains { $0.hasPrefix("model: ") && $0.contains("preprocessing") }, "\(verbose.messages)")
        #expect(verbose.messages.contains { $0.hasPrefix("embedding cache: ") && $0.contains(url("xdg/coverlens").path) },
                "\(verbose.messages)")
        let plain = try run(["embed", popular.path, "--out", url("w.csv").path, "--model", try CLI.model(), "--no-cache"])
        #expect(!plain.messages.contains { $0.hasPrefix("model: ") }, "details shown without --verbose: \(plain.messages)")
    }

    // MARK: defaults (point 6)

    @Test("the cache goes under $XDG_CACHE_HOME/coverlens, else ~/.cache/coverlens, not the current folder")
    func cacheLocation() throws {
        let popular = try covers("popular", 1, into: "p")
        let xdg = try run(["embed", popular.path, "--out", url("a.csv").path, "--model", try CLI.model()],
                          environment: ["XDG_CACHE_HOME": url("xdg").path])
        #expect(xdg.status == 0, "\(xdg)")
        #expect(FileManager.default.fileExists(atPath: url("xdg/coverlens/embeddings.sqlite").path))
        let home = try run(["embed", popular.path, "--out", url("b.csv").path, "--model", try CLI.model()],
                           environment: ["XDG_CACHE_HOME": "", "HOME": url("home").path])
        #expect(home.status == 0, "\(home)")
        #expect(FileManager.default.fileExists(atPath: url("home/.cache/coverlens/embeddings.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: url("Output/.cache").path), "a cache was made in the current folder")
    }

    @Test("the report language follows LANG when --lang is not given (ko_KR.UTF-8 → Korean); --lang wins")
    func languageFromLocale() throws {
        let popular = try covers("popular", 2, into: "p")
        let candidates = try covers("candidates", 1, into: "c")
        let scored = try run(["score", "--popular", popular.path, "--candidates", candidates.path, "--format", "html",
                              "--out", url("out").path, "--model", try CLI.model(), "--no-cache"],
                             environment: ["LANG": "ko_KR.UTF-8"])
        try #require(scored.status == 0, "\(scored)")
        #expect(try String(contentsOf: url("out/index.html"), encoding: .utf8).contains("<html lang=\"ko\">"))
        let english = try run(["report", url("out/results.json").path, "--format", "html", "--lang", "en"],
                              environment: ["LANG": "ko_KR.UTF-8"])
        #expect(english.status == 0, "\(english)")
        #expect(try String(contentsOf: url("out/index.html"), encoding: .utf8).contains("<html lang=\"en\">"))
        let c = try run(["report", url("out/results.json").path, "--format", "html"], environment: ["LANG": "C.UTF-8"])
        #expect(c.status == 0, "\(c)")
        #expect(try String(contentsOf: url("out/index.html"), encoding: .utf8).contains("<html lang=\"en\">"))
    }
}
