import Foundation
import Testing

/// Issue 16, point 5: `synth --per-class N` says what the number is (covers in each class folder);
/// `--count`, its old name, still works with a warning and makes the same files.
@Suite("synth --per-class", .serialized)
final class SynthPerClassTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    func synth(_ extra: [String], out: String) throws -> CLI.Outcome {
        try CLI.run(["synth", "--out", work.appendingPathComponent(out).path, "--candidates", "1", "--seed", "5"] + extra,
                    in: work, timeout: 300)
    }

    func files(_ folder: String, in out: String) -> [String] {
        let url = work.appendingPathComponent(out).appendingPathComponent(folder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    @Test("--per-class 3 writes three covers in popular/ and in other/, and no warning")
    func perClassCountsEachClassFolder() throws {
        let run = try synth(["--per-class", "3"], out: "new")
        try #require(run.status == 0 && !run.signalled, "\(run)")
        #expect(files("popular", in: "new").count == 3, "popular/: \(files("popular", in: "new"))")
        #expect(files("other", in: "new").count == 3, "other/: \(files("other", in: "new"))")
        #expect(files("candidates", in: "new").count == 1)
        #expect(!run.stderr.contains("deprecated"), "a warning without --count: \(run.stderr)")
    }

    @Test("--count 3 (the old name) warns and writes the same files byte for byte as --per-class 3")
    func countIsADeprecatedAlias() throws {
        let new = try synth(["--per-class", "3"], out: "new")
        let old = try synth(["--count", "3"], out: "old")
        try #require(new.status == 0 && old.status == 0, "\(new)\n\(old)")
        #expect(old.messages.contains { $0.contains("--count is deprecated") && $0.contains("--per-class") },
                "no deprecation warning naming --per-class: \(old.stderr)")
        for folder in ["popular", "other", "candidates"] {
            #expect(files(folder, in: "old") == files(folder, in: "new"), "\(folder)/ differs in its file names")
            for name in files(folder, in: "new") {
                let a = try Data(contentsOf: work.appendingPathComponent("new/\(folder)/\(name)"))
                let b = try Data(contentsOf: work.appendingPathComponent("old/\(folder)/\(name)"))
                #expect(a == b, "\(folder)/\(name) differs between --per-class and --count")
            }
        }
    }

    @Test("both names at once, or a count outside 1…100000, exit 64 naming the flag before anything is written")
    func badValuesAreUsageErrors() throws {
        let both = try synth(["--per-class", "3", "--count", "3"], out: "both")
        #expect(both.status == 64 && both.stderr.contains("--per-class"), "\(both)")
        let zero = try synth(["--per-class", "0"], out: "zero")
        #expect(zero.status == 64 && zero.stderr.contains("--per-class 0"), "\(zero)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("zero").path), "a refused run created its folder")
    }

    @Test("help shows --per-class in every example and hides --count")
    func helpUsesTheNewName() throws {
        let help = try CLI.run(["synth", "--help"], in: work)
        #expect(help.status == 0)
        let examples = help.stdout.split(separator: "\n").filter { $0.contains("coverlens synth --out") }
        #expect(!examples.isEmpty && examples.allSatisfy { $0.contains("--per-class") && !$0.contains("--count") },
                "examples: \(examples)")
        #expect(!help.stdout.contains("--count <"), "--count is listed as an option:\n\(help.stdout)")
    }
}
