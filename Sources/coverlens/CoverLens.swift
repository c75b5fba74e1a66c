import ArgumentParser
import Runs

@main
struct CoverLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverlens",
        abstract: "Learn what popular book covers have in common and compare new designs with them.",
        discussion: """
            Start with `coverlens demo` (after scripts/setup.sh): it scores the bundled example covers \
            and writes a report to Output/demo/. Then point `coverlens score` at your own folders.

            \(ExitStatus.help)
            """,
        version: Version.number,
        subcommands: [Demo.self, Score.self, Train.self, Evaluate.self, Report.self, Embed.self, StoreCommand.self, Inspect.self, ImportWeights.self, Synth.self])

    /// Checks the CPU before any command runs a kernel built for it (`ProcessorSupport`).
    static func main() {
        ProcessorSupport.exitIfUnsupported()
        ProcessorSupport.warnAboutKernelRequest()
        main(nil)
    }
}
