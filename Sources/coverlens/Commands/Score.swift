import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Reports
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

            Example:
              coverlens score --popular Examples/popular --other Examples/other --candidates Examples/candidates

            \(ExitStatus.help)
            """)

    @Option(name: .long, help: ArgumentHelp("Folder of popular (bestselling) covers.", valueName: "DIR"))
    var popular: String

    @Option(name: .long, help: ArgumentHelp("Folder of candidate designs to score.", valueName: "DIR"))
    var candidates: String

    @Option(name: .long, help: ArgumentHelp("Folder of other (not bestselling) covers, for comparison.", valueName: "DIR"))
    var other: String?

    @Option(name: .long, help: "How many similar popular covers to list per candidate.")
    var topK: Int = 5

    @Option(name: .long, help: ArgumentHelp("Report folder (a zip of it is written beside it).", valueName: "DIR"))
    var out: String = "Output/score"

    @Option(name: .long, help: ArgumentHelp("What to write, comma-separated: html, pdf, json, csv (json and csv always).", valueName: "formats"))
    var format: String = "html,pdf,json,csv"

    @Option(name: .long, help: "Report language: en or ko.")
    var lang: String = "en"

    @Option(name: .long, help: "PDF paper size: a4 or letter.")
    var paper: String = "a4"

    @Option(name: .long, help: ArgumentHelp("Training log to show as loss curves (default: training-log.json beside the model, if any).", valueName: "FILE"))
    var trainingLog: String?

    @Option(name: .long, help: "Seed for the palette and style-cluster k-means.")
    var seed: UInt64 = 0

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        guard ReportLanguage(rawValue: lang) != nil else { throw ValidationError("--lang must be en or ko, got \(lang)") }
        guard PaperSize(rawValue: paper.lowercased()) != nil else { throw ValidationError("--paper must be a4 or letter, got \(paper)") }
        _ = try Self.pageFormats(format)
    }

    /// The page formats in --format (json and csv are always written).
    static func pageFormats(_ text: String) throws -> Set<ReportFormat> {
        try FormatList.pages(text, requirePage: false)
    }

    func run() throws {
        do {
            if let threads = modelOptions.threads { Parallelism.workers = max(1, threads) }
            var request = ScoreRequest(popular: URL(fileURLWithPath: popular), candidates: URL(fileURLWithPath: candidates),
                                       other: other.map { URL(fileURLWithPath: $0) })
            request.topK = topK
            request.seed = seed
            request.followSymlinks = inputOptions.followSymlinks
            request.limits = inputOptions.limits
            try request.validate()
            let model = try modelOptions.load()
            ModelOptions.noteUnrecordedLogit(model, path: modelOptions.url.path)
            var scorer = Scorer(model: model, store: try cacheOptions.open())
            scorer.generator = "coverlens \(CoverLens.configuration.version)"
            let bar = ProgressBar()
            let result = try scorer.score(request) { phase, done, total in bar.update(phase, done, total) }
            let folder = URL(fileURLWithPath: out)
            let pages = try Self.pageFormats(format)
            ScoreSummary.print(result, folder: folder)
            let roles = [("popular", request.popular), ("candidates", request.candidates)] + (request.other.map { [("other", $0)] } ?? [])
            let ignored = IgnoredEntries.report(roles.map { (role: $0.0, url: $0.1) }, followSymlinks: request.followSymlinks)
            if ignored > 0 { print("\(ignored) \(ignored == 1 ? "entry" : "entries") in the cover folders ignored (not images, hidden or not regular files; listed above)") }
            if pages.isEmpty {
                try result.write(to: folder)
                print("results: \(folder.appendingPathComponent("results.json").path)")
            } else {
                bar.update("report", 0, 1)
                let bundle = try ReportWriter(result: result, trainingLog: try loadTrainingLog(),
                                              covers: .folders(popular: request.popular, candidates: request.candidates, other: request.other),
                                              templates: try TemplateDirectory.locate())
                    .write(to: folder, formats: pages, language: ReportLanguage(rawValue: lang) ?? .en,
                           paper: PaperSize(rawValue: paper.lowercased()) ?? .a4)
                bar.update("report", 1, 1)
                print("report: \(bundle.folder.appendingPathComponent(pages.contains(.html) ? "index.html" : "report.pdf").path)")
                print("bundle: \(bundle.zip.path)")
            }
            if !result.skipped.isEmpty { throw ExitCode(ExitStatus.skippedFiles) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

extension Score {
    /// --training-log, else training-log.json beside the model file.
    func loadTrainingLog() throws -> TrainingLog? {
        if let trainingLog { return try TrainingLog.read(from: URL(fileURLWithPath: trainingLog)) }
        let modelURL = modelOptions.model.map { URL(fileURLWithPath: $0) } ?? DefaultPaths.model
        let beside = modelURL.deletingLastPathComponent().appendingPathComponent("training-log.json")
        return FileManager.default.fileExists(atPath: beside.path) ? try TrainingLog.read(from: beside) : nil
    }
}

/// The table `score` prints: one line per candidate, then skipped files.
enum ScoreSummary {
    static func print(_ result: AnalysisResult, folder: URL) {
        let label = result.popularity == .trainedHead ? "p(popular)" : "similarity"
        Swift.print("\(result.candidates.count) candidates scored against \(result.dataset.popularCount) popular covers"
                    + (result.dataset.otherCount > 0 ? " and \(result.dataset.otherCount) others" : "") + " (\(result.model.architecture))")
        Swift.print(result.popularity.explanation)
        Swift.print(pad("candidate", 34) + pad(label, 12) + pad("pct popular", 13) + "best match")
        for c in result.candidates {
            let best = c.matches.first.map { "\($0.file) (\(String(format: "%.3f", $0.cosine)))" } ?? "-"
            Swift.print(pad(c.file, 34) + pad(String(format: "%.3f", c.popularity), 12)
                        + pad(String(format: "%.0f", c.percentileAmongPopular), 13) + best)
            if c.nearDuplicate, let copy = c.copyCheck {
                Swift.print("  NEAR-DUPLICATE of \(copy.file): " + CopyWording.evidence(copy, result.settings.copyDetection))
            }
        }
        if let calibration = result.settings.copyDetection { Swift.print(CopyWording.calibration(calibration)) }
        for s in result.skipped { printError("skipped \(s.folder)/\(s.file): \(s.reason)") }
    }

    /// Pads to `width` terminal columns; Hangul, CJK and other wide characters take two.
    static func pad(_ text: String, _ width: Int) -> String {
        var shown = "", used = 0
        for character in text {
            let w = columns(character)
            if used + w > width - 2 { shown += "…"; used += 1; break }
            shown.append(character)
            used += w
        }
        return shown + String(repeating: " ", count: max(1, width - used))
    }

    static func columns(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD: return 2
        default: return 1
        }
    }
}
