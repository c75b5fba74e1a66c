import ArgumentParser
import CoverAnalysis
import Foundation
import Reports
import Runs

/// `coverlens report RESULTS.json`: re-renders the HTML page, the PDF and the figures from a results
/// file without recomputing anything. Cover thumbnails come from the bundle the results file sits in.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-render a report (HTML, PDF, figures, zip) from results.json without recomputing.",
        discussion: """
            RESULTS.json is the results.json that `coverlens score` wrote into its report folder. The \
            report is rewritten in place (or into --out), reusing the cover thumbnails in that folder's \
            covers/ (or, with --popular and --candidates, making them from the original folders); a \
            training-log.json beside the results adds the training curves. The old report stays intact \
            until the new one is complete. Covers that cannot be found (moved since the scoring run) are \
            named in a warning; their tiles stay blank. The language follows the locale unless --lang says. No cover is decoded again, so nothing is skipped: the pages \
            list the files the scoring run skipped, with their reasons.

            Examples:
              coverlens report Output/demo/results.json --lang ko
              coverlens report Output/demo/results.json --format pdf --paper letter \\
                  --out Output/demo-letter

            \(ExitStatus.help)
            """)

    @Argument(help: ArgumentHelp("The results.json of a previous run.", valueName: "results.json"))
    var results: String

    @Option(help: ArgumentHelp("Pages to write, comma-separated: html, pdf.", valueName: "formats"))
    var format: String = "html,pdf"

    @Option(help: ArgumentHelp("Report language: en or ko.", discussion: "Default: the locale's (LC_ALL, LC_MESSAGES or LANG; ko_KR.UTF-8 → ko), else en.",
                               valueName: "lang"))
    var lang: ReportLanguage?

    @Option(help: ArgumentHelp("PDF paper size: a4 or letter.", valueName: "paper"))
    var paper: PaperSize = .a4

    @Option(help: ArgumentHelp("Report folder to write (default: the folder holding RESULTS.json).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Training log for the loss curves (default: training-log.json beside RESULTS.json).",
                               valueName: "file"))
    var trainingLog: String?

    @Option(help: ArgumentHelp("Take cover thumbnails from the original popular folder (with --candidates) instead of the bundle's covers/.",
                               valueName: "dir"))
    var popular: String?

    @Option(help: ArgumentHelp("The original candidates folder (with --popular).", valueName: "dir"))
    var candidates: String?

    @Option(help: ArgumentHelp("The original other-covers folder, if the run had one.", valueName: "dir"))
    var other: String?

    func validate() throws {
        _ = try Self.formats(format)
        guard (popular == nil) == (candidates == nil) else {
            throw ValidationError("--popular and --candidates go together (the folders the results were scored from)")
        }
    }

    func run() throws {
        try ExitStatus.run {
            try render()
            return []
        }
    }

    private func render() throws {
        let formats = try Self.formats(format)
        let resultsURL = URL(fileURLWithPath: results)
        let bundle = resultsURL.deletingLastPathComponent()
        let result = try AnalysisResult.read(from: resultsURL)
        let logURL = trainingLog.map { URL(fileURLWithPath: $0) } ?? bundle.appendingPathComponent("training-log.json")
        let log = FileManager.default.fileExists(atPath: logURL.path) || trainingLog != nil ? try TrainingLog.read(from: logURL) : nil
        let destination = out.map { URL(fileURLWithPath: $0) } ?? bundle
        var writer = ReportWriter(result: result, trainingLog: log, covers: covers(bundle: bundle), templates: try TemplateDirectory.locate())
        let progress = ProgressBar()
        writer.progress = { step, done, total in progress.update("report", done, total, detail: step) }
        let written = try writer.write(to: destination, formats: formats, language: lang ?? .preferred(), paper: paper)
        if let warning = MissingCoversWarning.line(written.missingCovers) { printError(warning) }
        print("wrote \(written.folder.path)/ (\(written.files.count) files) and \(written.zip.path)")
    }

    private func covers(bundle: URL) -> CoverSource {
        guard let popular, let candidates else { return .bundle(bundle) }
        return .folders(popular: URL(fileURLWithPath: popular), candidates: URL(fileURLWithPath: candidates),
                        other: other.map { URL(fileURLWithPath: $0) })
    }

    static func formats(_ text: String) throws -> Set<ReportFormat> {
        try FormatList.pages(text, requirePage: true)
    }
}
