import CoverAnalysis
import Foundation
import Imaging
import Networks
import Tensors

/// `coverlens evaluate`: a trained model's metrics on a labelled folder, printed as a table and
/// written as JSON.
public struct EvaluateRun: Sendable {
    public var model: URL
    public var data: LabelledFolders
    /// Where the metrics are written as JSON (its folder is created).
    public var output: URL
    public var cache: CacheSettings
    public var limits: DecodeLimits = .default
    public var followSymlinks = false
    /// Threads for the scan, the network and the search (`--threads`); applied when the run starts.
    public var compute: ComputeContext = .default

    public init(model: URL, data: LabelledFolders, output: URL, cache: CacheSettings = .none) {
        self.model = model
        self.data = data
        self.output = output
        self.cache = cache
    }

    /// Loads the model, opens the cache, measures, writes `output`, prints the table (and a warning
    /// when the head looks as if it predicted the other class).
    public func run(_ observer: some RunObserver) throws -> Evaluation {
        compute.applyGEMMThreads()
        try OutputLocation.checkFile(output)
        if let note = try data.layout().unusedNote(path: data.description) { observer.warn(note) }
        let loaded = try CoverModel.load(contentsOf: model)
        observer.detail("model: \(model.path) (\(loaded.architecture), preprocessing \(loaded.preprocessing.summary))")
        if let note = loaded.unrecordedLogitNote(path: model.relativePath) { observer.warn(note) }
        var evaluator = CoverEvaluator(model: loaded, store: try cache.open(observer))
        evaluator.limits = limits
        evaluator.followSymlinks = followSymlinks
        evaluator.compute = compute
        evaluator.onCutShort = { observer.warnCutShort($0) }
        let result = try evaluator.evaluate(data) { phase, done, total in
            observer.progress("embed \(phase)", done: done, total: total)
        }
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try result.write(to: output)
        observer.say(EvaluationTable.render(result))
        observer.say("metrics: \(output.path)")
        if result.suggestsFlippedLogit {
            let flip = loaded.metadata[LogitMeaning.metadataKey] == LogitMeaning.other.rawValue ? "popular" : "other"
            observer.warn("warning: ROC AUC \(String(format: "%.4f", result.metrics.rocAUC ?? 0)) is far below 0.5: the model ranks other covers "
                          + "above popular ones, as a logit that predicts the other class does. If \(model.relativePath) came from the PyTorch recipe, "
                          + "import it again with --logit-means \(flip) (or --popular-folder NAME --other-folder NAME)")
        }
        observer.warnSkipped(result.skipped)
        return result
    }
}
