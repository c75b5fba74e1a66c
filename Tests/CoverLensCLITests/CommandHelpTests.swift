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
}
