import CoverAnalysis
import Foundation
import Reports

/// How a run's report bundle is written: where, which pages, in which language, on which paper.
public struct ReportSettings: Sendable {
    /// The bundle folder; its zip is written beside it.
    public var folder: URL
    /// The pages; none writes only results.json and results.csv (no bundle, no zip).
    public var formats: Set<ReportFormat> = [.html, .pdf]
    public var language: ReportLanguage = .en
    public var paper: PaperSize = .a4

    public init(folder: URL, formats: Set<ReportFormat> = [.html, .pdf], language: ReportLanguage = .en, paper: PaperSize = .a4) {
        self.folder = folder
        self.formats = formats
        self.language = language
        self.paper = paper
    }
}

/// Where the report's training curves come from.
public enum TrainingLogSource: Sendable {
    /// `training-log.json` beside the model file, when there is one (what `coverlens train` writes).
    case besideModel
    /// This file (`--training-log`); it must be readable.
    case file(URL)
    /// A log already in memory (the demo's own training run).
    case log(TrainingLog)
    /// No curves.
    case none
}

extension TrainingLogSource {
    /// The log this source gives for a run scored with `model`.
    func load(model: URL) throws -> TrainingLog? {
        switch self {
        case .besideModel:
            let beside = model.deletingLastPathComponent().appendingPathComponent("training-log.json")
            return FileManager.default.fileExists(atPath: beside.path) ? try TrainingLog.read(from: beside) : nil
        case .file(let url): return try TrainingLog.read(from: url)
        case .log(let log): return log
        case .none: return nil
        }
    }
}
