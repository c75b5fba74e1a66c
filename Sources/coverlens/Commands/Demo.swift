import ArgumentParser
import CoverAnalysis
import Foundation
import Reports
import Runs
import Support

/// `coverlens demo`: the whole job on the bundled synthetic examples, offline.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole job on the bundled examples: train a head, score the candidates, write the report.",
        discussion: """
            Uses Examples/ (synthetic covers made by `coverlens synth`; see Examples/README.md):
              1. trains the popularity head on Examples/popular vs Examples/other (head mode, seeded),
              2. scores Examples/candidates against the popular covers,
              3. writes the report bundle to Output/demo/ (index.html, report.pdf, figures/, results)
                 and Output/demo.zip.
            Embeddings are cached (in ~/.cache/coverlens/, or $XDG_CACHE_HOME/coverlens/), so a second
            run takes seconds. The report's language follows the locale (LANG=ko_KR.UTF-8 gives Korean)
            unless --lang says.

            Examples:
              coverlens demo
              coverlens demo --lang ko --out Output/demo-ko

            \(ExitStatus.help)
            """)

    @Option(name: .long, help: ArgumentHelp("The examples folder (popular/, other/, candidates/).", valueName: "DIR"))
    var examples: String?

    @Option(name: .long, help: ArgumentHelp("Where the report goes.", valueName: "DIR"))
    var out: String = "Output/demo"

    @Option(name: .long, help: ArgumentHelp("Report language: en or ko.", discussion: "Default: the locale's (LC_ALL, LC_MESSAGES or LANG; ko_KR.UTF-8 → ko), else en."))
    var lang: ReportLanguage?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions

    func run() throws {
        try ExitStatus.run {
            let examples = try examples.map { URL(fileURLWithPath: $0) } ?? DefaultPaths().examples()
            var demo = DemoRun(examples: examples, output: URL(fileURLWithPath: out), baseModel: modelOptions.url,
                               cache: cacheOptions.settings)
            demo.language = lang ?? .preferred()
            demo.overrides = modelOptions.preprocessingOverrides
            demo.compute = modelOptions.compute
            return try demo.run(TerminalObserver()).skipped
        }
    }
}
