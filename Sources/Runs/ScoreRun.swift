import CoverAnalysis
import Foundation
import Imaging
import Reports
import Tensors

/// `coverlens score`: scan and score the candidates against the popular covers, print the table,
/// then write the report bundle (or only results.json and results.csv when no page is asked for).
///
/// ```swift
/// var run = ScoreRun(request: request, model: modelFile, report: ReportSettings(folder: out))
/// let outcome = try run.run(observer)      // outcome.result, outcome.bundle, outcome.skipped
/// ```
///
/// The steps are public so that `DemoRun` can score with a model it has just trained and an open cache.
public struct ScoreRun: Sendable {
    public var request: ScoreRequest
    /// The model file to score with.
    public var model: URL
    public var cache: CacheSettings
    /// Preprocessing settings (colour management, JPEG draft) replacing what the model file records;
    /// `.none` keeps them.
    public var overrides: PreprocessingOverrides = .none
    /// Threads for the scan, the network and the search (`--threads`); applied when the run starts.
    public var compute: ComputeContext = .default
    public var report: ReportSettings
    public var trainingLog: TrainingLogSource = .besideModel
    /// What results.json records as its maker.
    public var generator = Version.generator
    /// Decodes the cover files: each one at most once per run (the scan keeps the report's pictures).
    public var decoder: CoverDecoder = .standard

    public init(request: ScoreRequest, model: URL, cache: CacheSettings = .none, report: ReportSettings) {
        self.request = request
        self.model = model
        self.cache = cache
        self.report = report
    }

    /// What a score run produced.
    public struct Outcome: Sendable {
        public var result: AnalysisResult
        /// The bundle written, or nil when no page was asked for.
        public var bundle: ReportBundle?
        /// results.json, in the bundle or (without pages) in the report folder.
        public var resultsFile: URL
        public var skipped: [SkippedFile] { result.skipped }
    }

    /// The whole job: check the request, load the model, open the cache (in that order, so the
    /// first problem found is the one reported), score, write; then say where everything went.
    ///
    /// Everything that can fail without decoding a cover fails first: the options and folders, the
    /// report folder (a file in its place, or a folder holding more than a report, in every format
    /// mode), the model file, the cache.
    public func run(_ observer: some RunObserver) throws -> Outcome {
        compute.applyGEMMThreads()
        try request.validate()
        try checkOutput()
        let loaded = try CoverModel.load(contentsOf: model, overrides: overrides)
        observer.detail("model: \(model.path) (\(loaded.architecture), preprocessing \(loaded.preprocessing.summary))")
        if let note = loaded.unrecordedLogitNote(path: model.path) { observer.warn(note) }
        let pictures = report.formats.isEmpty ? nil : CoverPictures()
        let result = try score(with: loaded, store: try cache.open(observer), pictures: pictures, observer)
        reportIgnoredEntries(observer)
        let outcome = try write(result, pictures: pictures, decodeLimits: loaded.preprocessing.decodeLimits(request.limits), observer)
        if let bundle = outcome.bundle {
            observer.say("report: \(bundle.folder.appendingPathComponent(report.formats.contains(.html) ? "index.html" : "report.pdf").path)")
            observer.say("bundle: \(bundle.zip.path)")
        } else {
            observer.say("results: \(outcome.resultsFile.path)")
        }
        return outcome
    }

    /// The report folder can be written and replaced (`OutputLocation`, `ReportDestination`).
    public func checkOutput() throws {
        try OutputLocation.checkFolder(report.folder)
        try ReportDestination.check(report.folder)
    }

    /// Scores `request` with `model` and prints the table and the skipped files; the report's
    /// pictures of the covers it decodes go into `pictures`.
    public func score(with model: CoverModel, store: (any CoverStore)?, pictures: CoverPictures?,
                      _ observer: some RunObserver) throws -> AnalysisResult {
        var scorer = Scorer(model: model, store: store)
        scorer.onCutShort = { observer.warnCutShort($0) }
        scorer.generator = generator
        scorer.decoder = decoder
        scorer.compute = compute
        let result = try scorer.score(request, pictures: pictures) { phase, done, total in
            observer.progress(phase, done: done, total: total)
        }
        for line in ScoreSummary.lines(result) { observer.say(line) }
        observer.warnSkipped(result.skipped)
        return result
    }

    /// Names what the cover folders hold that is not a cover (warnings) and says how many (a result line).
    func reportIgnoredEntries(_ observer: some RunObserver) {
        // Collections have no folder here to look into.
        let roles: [(role: String, url: URL)] = [("popular", request.popular.folder), ("candidates", request.candidates), ("other", request.other?.folder)]
            .compactMap { role, url in url.map { (role, $0) } }
        let ignored = IgnoredEntries.report(roles, followSymlinks: request.followSymlinks, to: observer)
        IgnoredEntries.sayCount(ignored, to: observer)
    }

    /// Writes `result` as `report` asks: the bundle with its pages, or the results files alone.
    /// Covers not in `pictures` are decoded for their thumbnails with `decodeLimits` (the scoring
    /// model's: `Preprocessing.decodeLimits`).
    public func write(_ result: AnalysisResult, pictures: CoverPictures?, decodeLimits: DecodeLimits,
                      _ observer: some RunObserver) throws -> Outcome {
        let folder = report.folder
        guard !report.formats.isEmpty else {
            try result.write(to: folder)
            return Outcome(result: result, bundle: nil, resultsFile: folder.appendingPathComponent("results.json"))
        }
        var writer = ReportWriter(result: result, trainingLog: try trainingLog.load(model: model),
                                  covers: .folders(popular: request.popular.folder, candidates: request.candidates, other: request.other?.folder),
                                  templates: try TemplateDirectory.locate())
        writer.pictures = pictures
        writer.decoder = decoder
        writer.decodeLimits = decodeLimits
        writer.workers = compute.workers
        writer.progress = { step, done, total in observer.progress("report", done: done, total: total, detail: step) }
        let bundle = try writer.write(to: folder, formats: report.formats, language: report.language, paper: report.paper)
        if let warning = MissingCoversWarning.line(bundle.missingCovers) { observer.warn(warning) }
        return Outcome(result: result, bundle: bundle, resultsFile: bundle.folder.appendingPathComponent("results.json"))
    }
}
