import ArgumentParser
import CoverAnalysis
import Foundation
import Reports
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
            Embeddings are cached in Output/.cache/, so a second run takes seconds.

            Examples:
              coverlens demo
              coverlens demo --lang ko --out Output/demo-ko

            \(ExitStatus.help)
            """)

    @Option(name: .long, help: ArgumentHelp("The examples folder (popular/, other/, candidates/).", valueName: "DIR"))
    var examples: String?

    @Option(name: .long, help: ArgumentHelp("Where the report goes.", valueName: "DIR"))
    var out: String = "Output/demo"

    @Option(name: .long, help: "Report language: en or ko.")
    var lang: String = "en"

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        guard ReportLanguage(rawValue: lang) != nil else { throw ValidationError("--lang must be en or ko, got \(lang)") }
    }

    func run() throws {
        do {
            if let threads = modelOptions.threads { Parallelism.workers = max(1, threads) }
            let examples = try examples.map { URL(fileURLWithPath: $0) } ?? DefaultPaths.examples()
            let output = URL(fileURLWithPath: out)
            let store = try cacheOptions.open()
            let bar = ProgressBar()

            print("1/3  training the popularity head on \(examples.path)/popular vs other")
            let baseModel = modelOptions.model.map { URL(fileURLWithPath: $0) } ?? DefaultPaths.model
            let trainer = try CoverTrainer(baseModelFile: baseModel, store: store,
                                           colourManagement: modelOptions.colourManagement.map { $0 == .on })
            let request = TrainingRequest(
                data: .pair(popular: examples.appendingPathComponent("popular"), other: examples.appendingPathComponent("other")),
                output: output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + "-model"))
            let outcome = try trainer.train(request) { TrainingReport.show($0, bar: bar) }
            TrainingReport.summary(outcome)
            guard let modelFile = outcome.modelFile else { throw ExitCode.failure }

            print("\n2/3  scoring \(examples.path)/candidates")
            var scorer = Scorer(model: try CoverModel.load(contentsOf: modelFile), store: store)
            scorer.generator = "coverlens \(CoverLens.configuration.version)"
            let score = ScoreRequest(popular: examples.appendingPathComponent("popular"),
                                     candidates: examples.appendingPathComponent("candidates"),
                                     other: examples.appendingPathComponent("other"))
            let result = try scorer.score(score) { phase, done, total in bar.update(phase, done, total) }
            ScoreSummary.print(result, folder: output)

            print("\n3/3  writing the report")
            let bundle = try ReportWriter(result: result, trainingLog: outcome.log,
                                          covers: .folders(popular: score.popular, candidates: score.candidates, other: score.other),
                                          templates: try TemplateDirectory.locate())
                .write(to: output, formats: [.html, .pdf], language: ReportLanguage(rawValue: lang) ?? .en)
            print("""

                Done. Open the report:
                  \(bundle.folder.appendingPathComponent("index.html").path)
                  \(bundle.folder.appendingPathComponent("report.pdf").path)
                Share it: \(bundle.zip.path)
                """)
            if !result.skipped.isEmpty { throw ExitCode(ExitStatus.skippedFiles) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
