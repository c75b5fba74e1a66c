import Foundation
import Testing

/// The README promises that every command's `--help` shows how to use it: at least one runnable
/// `coverlens …` example and the exit statuses.
@Suite struct CommandHelpTests {
    /// The subcommands `coverlens --help` lists (the words that start its SUBCOMMANDS lines).
    static func subcommands() throws -> [String] {
        let help = try CLI.run(["--help"], in: FileManager.default.temporaryDirectory)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }   // continuation lines are indented deeper
            return line.split(separator: " ").first.map(String.init)
        }
    }

    @Test func everyCommandIsListed() throws {
        let listed = try Self.subcommands()
        for command in ["demo", "train", "evaluate", "score", "report", "embed", "inspect", "import-weights", "synth"] {
            #expect(listed.contains(command), "coverlens --help does not list \(command): \(listed)")
        }
    }

    @Test func everyCommandHasExamplesAndExitStatuses() throws {
        let commands = try Self.subcommands()
        try #require(commands.count >= 9, "found only \(commands) in coverlens --help")
        for command in commands where command != "help" {
            let help = try CLI.run([command, "--help"], in: FileManager.default.temporaryDirectory)
            #expect(help.status == 0, "coverlens \(command) --help: \(help)")
            #expect(help.stdout.contains("Example"), "coverlens \(command) --help has no example:\n\(help.stdout)")
            let examples = help.stdout.split(separator: "\n").filter { $0.hasPrefix("  coverlens \(command)") }
            #expect(!examples.isEmpty, "coverlens \(command) --help has no example of itself:\n\(help.stdout)")
            #expect(help.stdout.contains("Exit status"), "coverlens \(command) --help does not list the exit statuses:\n\(help.stdout)")
        }
    }

    /// The example commands in `help` (lines that start with "  coverlens", joined with their
    /// backslash-continued lines), and the lines that break the layout: a line after an example
    /// that neither continues it (indented under a trailing backslash) nor starts another, which is
    /// what the help wrapper's cut in mid-command looks like.
    static func examples(in help: String) -> (commands: [String], broken: [String]) {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [String] = [], broken: [String] = []
        var current: String?
        for (index, line) in lines.enumerated() {
            if let command = current {
                guard line.hasPrefix("    ") else {
                    broken.append("\(lines[index - 1])⏎\(line)")
                    current = nil
                    continue
                }
                let part = line.trimmingCharacters(in: .whitespaces)
                if part.hasSuffix("\\") {
                    current = command + " " + part.dropLast().trimmingCharacters(in: .whitespaces)
                } else {
                    commands.append(command + " " + part)
                    current = nil
                }
                continue
            }
            guard line.hasPrefix("  coverlens ") else { continue }
            let part = line.trimmingCharacters(in: .whitespaces)
            if part.hasSuffix("\\") {
                current = String(part.dropLast()).trimmingCharacters(in: .whitespaces)
            } else {
                commands.append(part)
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                if !next.isEmpty && !next.hasPrefix("  ") { broken.append("\(line)⏎\(next)") }
            }
        }
        return (commands, broken)
    }

    /// Issue 16, point 5: at 80 columns (a common terminal) no example is cut in mid-command, so
    /// each can be copied and pasted as it stands.
    @Test func examplesAreNeverWrappedMidCommand() throws {
        for command in try Self.subcommands() where command != "help" {
            let help = try CLI.run([command, "--help"], in: FileManager.default.temporaryDirectory, environment: ["COLUMNS": "80"])
            let found = Self.examples(in: help.stdout)
            #expect(!found.commands.isEmpty, "coverlens \(command) --help: no example found")
            #expect(found.broken.isEmpty, "coverlens \(command) --help at 80 columns cuts examples: \(found.broken)")
        }
    }

    /// Issue 16, point 5: every example runs as pasted, from a folder laid out like the repository
    /// (a copy of Examples/, so `synth --out Examples` writes into the copy). Each is given a few
    /// seconds: what counts is that the command line is accepted (not exit 64, no usage error);
    /// a file an example names may be missing here (exit 3, 4 or 5 say so in their own words).
    @Test func everyExampleIsAcceptedAsPasted() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-examples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repository.appendingPathComponent("Examples"), to: scratch.appendingPathComponent("Examples"))
        var ran = 0
        for command in try Self.subcommands() where command != "help" {
            let help = try CLI.run([command, "--help"], in: scratch, environment: ["COLUMNS": "80"])
            for example in Self.examples(in: help.stdout).commands {
                let words = example.split(separator: " ").map(String.init).dropFirst()   // "coverlens"
                let outcome = try CLI.run(Array(words), in: scratch, timeout: 4)
                ran += 1
                #expect(outcome.signalled || outcome.status != 64, "\(example) is refused as pasted: \(outcome)")
                #expect(!outcome.stderr.contains("Error: Unknown option") && !outcome.stderr.contains("Error: Missing expected argument"),
                        "\(example): \(outcome)")
            }
        }
        #expect(ran >= 18, "only \(ran) examples found")
    }
}
