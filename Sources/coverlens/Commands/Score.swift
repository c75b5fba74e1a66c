import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Reports
import Runs
import Support

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score candidate covers against a set of popular covers.",
        discussion: """
            For each candidate: its popularity (the trained head's probability when the model has one, \
            otherwise a similarity score), its percentile among the popular covers, its top-k most \
            similar popular covers with a near-duplicate warning, its colour and layout features \
            against the popular set, and where the model looks (Grad-CAM, with a trained head). Also \
            what the popular covers have in common: palette, feature distributions, style clusters, \
            and which features separate them from the other covers (--other).

            Writes a report bundle to --out (default Output/score/): index.html, report.pdf, figures/, \
            results.json and results.csv, and the same zipped beside it (Output/score.zip). Embeddings \
            are cached (--cache), so scoring the same folders again recomputes nothing; `coverlens report` \
            re-renders the pages from results.json.

            The folders must differ and none may lie inside another. A cover in both --popular and --other \
            (the same image) is a labelling mistake: it is named and left out of both. A candidate identical \
            to a popular cover stays, and is flagged as a near-duplicate. Everything that can be checked \
            without decoding a cover (options, folders, --out, the model, the cache) is checked first.

            With --store, --popular and --other may name a collection embedded by `coverlens embed DIR \
            --store URL --collection NAME` (collection:NAME): its covers are read from the store, so their \
            files need not be on this machine; the report shows them from the thumbnails the store keeps.

            Examples:
              coverlens score --popular Examples/popular --other Examples/other \\
                  --candidates Examples/candidates
              coverlens score --popular Examples/popular \\
                  --candidates Examples/candidates --format json,csv \\
                  --out Output/scores --json --quiet
              coverlens score --store postgresql://coverlens@db/covers \\
                  --popular collection:popular-2026 --candidates new-designs

            \(ExitStatus.help)
            """)

    @Option(name: .long, help: ArgumentHelp("Folder of popular (bestselling) covers, or collection:NAME in the shared store (--store).",
                                            valueName: "DIR"))
    var popular: String

    @Option(name: .long, help: ArgumentHelp("Folder of candidate designs to score.", valueName: "DIR"))
    var candidates: String

    @Option(name: .long, help: ArgumentHelp("Folder of other (not bestselling) covers, for comparison, or collection:NAME.", valueName: "DIR"))
    var other: String?

    @Option(name: .long, help: ArgumentHelp(
        "Above this many covers, a collection's palette, style clusters and percentiles use a seeded sample of this many.",
        discussion: "Top matches and copies are still searched in the whole collection; the report says how large the sample was."))
    var sampleLimit: Int = ScoreRequest.defaultSampleLimit

    @Option(name: .long, help: "How many similar popular covers to list per candidate.")
    var topK: Int = 5

    @Option(name: .long, help: ArgumentHelp("Report folder (a zip of it is written beside it).", valueName: "DIR"))
    var out: String = "Output/score"

    @Option(name: .long, help: ArgumentHelp("What to write, comma-separated: html, pdf, json, csv (json and csv always).", valueName: "formats"))
    var format: String = "html,pdf,json,csv"

    @Option(name: .long, help: ArgumentHelp("Report language: en or ko.", discussion: "Default: the locale's (LC_ALL, LC_MESSAGES or LANG; ko_KR.UTF-8 → ko), else en."))
    var lang: ReportLanguage?

    @Option(name: .long, help: "PDF paper size: a4 or letter.")
    var paper: PaperSize = .a4

    @Option(name: .long, help: ArgumentHelp("Training log to show as loss curves (default: training-log.json beside the model, if any).", valueName: "FILE"))
    var trainingLog: String?

    @Option(name: .long, help: "Seed for the palette and style-cluster k-means, and for a collection's sample.")
    var seed: UInt64 = 0

    @OptionGroup var options: ScanOptions

    func validate() throws {
        _ = try FormatList.pages(format, requirePage: false)
        try ValidationError.usage { try request().validate() }
    }

    private func request() -> ScoreRequest {
        var request = ScoreRequest(popular: CoverSetLocation(argument: popular), candidates: URL(fileURLWithPath: candidates),
                                   other: other.map(CoverSetLocation.init(argument:)))
        request.topK = topK
        request.sampleLimit = sampleLimit
        request.seed = seed
        request.followSymlinks = options.input.followSymlinks
        request.limits = options.input.limits
        return request
    }

    func run() throws {
        let observer = TerminalObserver(options.output.mode)
        try ExitStatus.run(observer, command: "score") {
            var run = ScoreRun(request: request(), model: options.model.url, cache: options.cache.settings,
                               report: ReportSettings(folder: URL(fileURLWithPath: out), formats: try FormatList.pages(format, requirePage: false),
                                                      language: lang ?? .preferred(), paper: paper))
            run.overrides = options.model.preprocessingOverrides
            run.compute = options.model.compute
            run.trainingLog = trainingLog.map { .file(URL(fileURLWithPath: $0)) } ?? .besideModel
            return try run.run(observer).document
        }
    }
}
