import CoverAnalysis
import Foundation
import Imaging
import Reports
import Tensors

/// `coverlens demo`: the whole job on the bundled examples — a `TrainRun` (head mode, seeded) on
/// popular/ vs other/, then a `ScoreRun` of candidates/ with the model just trained, sharing one cache.
public struct DemoRun: Sendable {
    /// The examples folder: popular/, other/, candidates/.
    public var examples: URL
    /// The report folder; the trained model goes beside it (`<folder>-model/`).
    public var output: URL
    public var baseModel: URL
    public var cache: CacheSettings
    public var language: ReportLanguage = .en
    /// Preprocessing settings (colour management, JPEG draft) replacing the base model's; the model
    /// trained records them, and the scoring half decodes as it says.
    public var overrides: PreprocessingOverrides = .none
    /// Threads for the scan, the network and the search (`--threads`); applied when the run starts.
    public var compute: ComputeContext = .default

    public init(examples: URL, output: URL, baseModel: URL, cache: CacheSettings = .none) {
        self.examples = examples
        self.output = output
        self.baseModel = baseModel
        self.cache = cache
    }

    /// The training half: popular/ against other/ with `train`'s default settings (auto mode,
    /// which chooses head mode for the examples' 120 covers and its weight decay by inner validation).
    public var training: TrainRun {
        var request = TrainingRequest(
            data: .pair(popular: examples.appendingPathComponent("popular"), other: examples.appendingPathComponent("other")),
            output: output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + "-model"))
        request.automatic = .all
        var run = TrainRun(request: request, baseModel: baseModel, cache: cache)
        run.overrides = overrides
        run.compute = compute
        return run
    }

    /// The scoring half, given the trained model file and its training log.
    public func scoring(model: URL, log: TrainingLog) -> ScoreRun {
        var run = ScoreRun(request: ScoreRequest(popular: examples.appendingPathComponent("popular"),
                                                 candidates: examples.appendingPathComponent("candidates"),
                                                 other: examples.appendingPathComponent("other")),
                           model: model, cache: cache, report: ReportSettings(folder: output, language: language))
        run.trainingLog = .log(log)
        run.compute = compute
        return run
    }

    /// A training run that ended without a model (it cannot, without a stop asked for; said rather than assumed).
    public struct NoModel: Error, CustomStringConvertible {
        public var description: String { "the demo's training stopped before its last epoch and wrote no model" }
    }

    /// Trains, scores and writes the report, saying each step; the outcome is the scoring's.
    public func run(_ observer: some RunObserver) throws -> ScoreRun.Outcome {
        compute.applyGEMMThreads()
        // Both outputs are checked before the first cover is decoded (as ScoreRun.checkOutput).
        try OutputLocation.checkFolder(output)
        try ReportDestination.check(output)
        try OutputLocation.checkFolder(training.request.output)
        let store = try cache.open(observer)
        observer.say("1/3  training the popularity head on \(examples.path)/popular vs other")
        let trained = try training.train(store: store, observer)
        guard let modelFile = trained.modelFile else { throw NoModel() }

        observer.say("\n2/3  scoring \(examples.path)/candidates")
        let scoring = scoring(model: modelFile, log: trained.log)
        let pictures = CoverPictures()
        let model = try CoverModel.load(contentsOf: modelFile)
        let result = try scoring.score(with: model, store: store, pictures: pictures, observer)

        observer.say("\n3/3  writing the report")
        let outcome = try scoring.write(result, pictures: pictures, decodeLimits: model.preprocessing.decodeLimits(scoring.request.limits),
                                        observer)
        let folder = outcome.bundle?.folder ?? output
        observer.say("""

            Done. Open the report:
              \(folder.appendingPathComponent("index.html").path)
              \(folder.appendingPathComponent("report.pdf").path)
            Share it: \(outcome.bundle?.zip.path ?? "")
            """)
        return outcome
    }
}
