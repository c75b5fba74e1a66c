import ArgumentParser

@main
struct CoverLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverlens",
        abstract: "Learn what popular book covers have in common and compare new designs with them.",
        version: "0.1.0",
        subcommands: [Inspect.self, Synth.self, ImportWeights.self, Report.self])
}
