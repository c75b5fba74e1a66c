import CoverAnalysis
import Foundation
import Imaging
import Rendering
import Support

/// Writes a complete, self-contained report bundle from an `AnalysisResult`: figures (PNG charts at
/// 1× and 2×, JPEG cover figures at 2×), `index.html`, `report.pdf`, cover thumbnails, `results.json`/`results.csv` and a zip of it all.
///
/// ```swift
/// let templates = try TemplateDirectory.locate()
/// let bundle = try ReportWriter(result: result, trainingLog: log,
///                               covers: .folders(popular: p, candidates: c, other: o), templates: templates)
///     .write(to: URL(fileURLWithPath: "Output/run-1"), formats: [.html, .pdf], language: .ko, paper: .a4)
/// ```
///
/// The write is atomic (see `AtomicBundle`): an interrupted run never leaves a half-written report
/// where a good one was.
public struct ReportWriter {
    public var result: AnalysisResult
    public var trainingLog: TrainingLog?
    public var covers: CoverSource
    public var templates: URL
    /// The pictures the scoring run kept from its decodes (`CoverPictures`): thumbnails of the covers
    /// in `covers` that need no second decode.
    public var pictures: CoverPictures?
    /// Decodes the covers `pictures` does not hold, with `decodeLimits` (the scoring model's, so
    /// every thumbnail shows the cover as the scan decoded it, colour management included).
    public var decoder: CoverDecoder = .standard
    public var decodeLimits: DecodeLimits = .default
    /// Threads decoding the covers `pictures` does not hold.
    public var workers: Int = Parallelism.available
    /// Called with each stage's name as the bundle is built; a throw aborts the write (tests use it
    /// to interrupt a run half-way).
    var checkpoint: (String) throws -> Void = { _ in }
    /// Told each step of the write as it finishes (name, steps done, steps in all), so a progress
    /// bar can follow the slow part of a run rather than show 0/1 then 1/1.
    public var progress: (@Sendable (_ step: String, _ done: Int, _ total: Int) -> Void)?

    public init(result: AnalysisResult, trainingLog: TrainingLog? = nil, covers: CoverSource = .none, templates: URL) {
        self.result = result
        self.trainingLog = trainingLog
        self.covers = covers
        self.templates = templates
    }

    @discardableResult
    public func write(to folder: URL, formats: Set<ReportFormat> = [.html, .pdf], language: ReportLanguage = .en,
                      paper: PaperSize = .a4) throws -> ReportBundle {
        guard !formats.isEmpty else { throw ReportError.noFormats }
        // Everything that can fail on bad input is read before the first file is written.
        let strings = try ReportStrings(language: language, templates: templates)
        if formats.contains(.html) { _ = try HTMLPage.library(templates) }
        // Steps: covers, figures, files (results, thumbnails, figures), each page, zip and swap.
        let total = 4 + formats.count
        var done = 0
        func step(_ name: String) { done += 1; progress?(name, done, total) }
        let thumbnails = CoverThumbnails(keys: coverKeys, source: covers, pictures: pictures, decoder: decoder, limits: decodeLimits,
                                         workers: workers)
        step("covers")
        let figureBuilder = FigureBuilder(result: result, trainingLog: trainingLog, covers: thumbnails, strings: strings)
        let figures = figureBuilder.build()
        step("figures")
        let content = ContentBuilder(result: result, trainingLog: trainingLog, strings: strings,
                                     featureOrder: figureBuilder.featureOrder).build()

        let bundle = AtomicBundle(destination: folder.standardizedFileURL)
        let files = try bundle.write { temporary in
            try result.write(to: temporary)
            if let trainingLog { try Self.writeJSON(trainingLog, to: temporary.appendingPathComponent("training-log.json")) }
            try checkpoint("results")
            try thumbnails.write(into: temporary)
            try checkpoint("covers")
            try writeFigures(figures, into: temporary)
            try checkpoint("figures")
            step("files")
            if formats.contains(.html) {
                let page = HTMLPage(content: content, figures: figures, strings: strings,
                                    thumbnails: thumbnails.pageEntries,
                                    includesPDF: formats.contains(.pdf), generator: result.generator)
                try AtomicFile.write(Data(try page.render(templates: templates).utf8), to: temporary.appendingPathComponent("index.html"))
                try copy(templates.appendingPathComponent("report.css"), to: temporary.appendingPathComponent("report.css"))
                try checkpoint("html")
                step("html")
            }
            if formats.contains(.pdf) {
                try PDFReport(content: content, figures: figures, covers: thumbnails, strings: strings, paper: paper)
                    .write(to: temporary.appendingPathComponent("report.pdf"))
                try checkpoint("pdf")
                step("pdf")
            }
        }
        step("zip")
        let missing = Set(coverKeys).filter { thumbnails[$0] == nil }.map { "\($0.role.rawValue)/\($0.file)" }.sorted()
        return ReportBundle(folder: bundle.destination, zip: bundle.zipURL, files: files, missingCovers: missing)
    }

    /// Every cover a page or figure shows: candidates, their matches, style-cluster exemplars.
    var coverKeys: [CoverKey] {
        var keys: [CoverKey] = []
        for c in result.candidates {
            keys.append(CoverKey(role: .candidates, file: c.file))
            keys += c.matches.map { CoverKey(role: .popular, file: $0.file) }
        }
        for cluster in result.common.styleClusters {
            keys += cluster.exemplars.compactMap(CoverRole.split).map { CoverKey(role: $0.role, file: $0.file) }
        }
        return keys
    }

    private func writeFigures(_ figures: ReportFigures, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("figures"), withIntermediateDirectories: true)
        for figure in figures.all {
            for (path, scale) in figure.files {
                try figure.figure.writeWebP(to: folder.appendingPathComponent(path), scale: scale, mode: figure.encoding)
            }
        }
    }

    private func copy(_ source: URL, to destination: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: source) } catch {
            throw ReportError.unreadableTemplate(path: source.path, reason: "cannot be read")
        }
        try AtomicFile.write(data, to: destination)
    }

    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(try encoder.encode(value), to: url)
    }
}
