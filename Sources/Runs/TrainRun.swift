import CoverAnalysis
import Foundation
import Imaging
import Tensors

/// `coverlens train`: train the popularity head (or fine-tune) on labelled covers, report each
/// epoch, then print the table of epochs and where the model went.
public struct TrainRun: Sendable {
    public var request: TrainingRequest
    /// The model whose backbone is trained on (or frozen under) the new head.
    public var baseModel: URL
    public var cache: CacheSettings
    /// Preprocessing settings (colour management, JPEG draft) replacing the base model's (the trained
    /// model records them); `.none` keeps the base model's.
    public var overrides: PreprocessingOverrides = .none
    /// Threads for the scan, the network and the search (`--threads`); applied when the run starts.
    public var compute: ComputeContext = .default

    public init(request: TrainingRequest, baseModel: URL, cache: CacheSettings = .none) {
        self.request = request
        self.baseModel = baseModel
        self.cache = cache
    }

    /// The whole job: check the settings, open the cache, load the base model, train, list the
    /// skipped files.
    public func run(_ observer: some RunObserver) throws -> TrainingOutcome {
        compute.applyGEMMThreads()
        try request.validate()
        try OutputLocation.checkFolder(request.output)
        for data in [request.data] + (request.validationData.map { [$0] } ?? []) {
            if let note = try data.layout().unusedNote(path: data.description) { observer.warn(note) }
        }
        let outcome = try train(store: try cache.open(observer), observer)
        observer.warnSkipped(outcome.skipped)
        reportIgnoredEntries(observer)
        return outcome
    }

    /// `train --plan`: what auto mode would choose for this data and why, without training (head
    /// mode's weight decay is chosen only once the covers are embedded, and says so).
    public func showPlan(_ observer: some RunObserver) throws {
        try request.validate()
        let plan = try CoverTrainer.plan(request)
        for line in plan.choices { observer.say("chosen: \(line)") }
        let c = plan.config
        var settings = "mode \(c.mode.rawValue), epochs \(c.epochs), lr \(TrainingPlan.text(c.learningRate))"
        if c.mode != .head { settings += ", backbone lr \(TrainingPlan.text(c.backboneLearningRate ?? c.learningRate))" }
        settings += ", patience " + (c.earlyStoppingPatience.map(String.init) ?? "none")
        settings += plan.searchesWeightDecay ? ", weight decay chosen by inner validation after embedding"
                                              : ", weight decay \(TrainingPlan.text(c.weightDecay))"
        if let minutes = request.budgetMinutes { settings += ", budget \(TrainingPlan.text(minutes)) min" }
        observer.say("plan: " + settings)
    }

    /// Names what the class folders (and validation class folders) hold that is not a cover, as
    /// `score` does, and says how many; files beside the class folders count too.
    func reportIgnoredEntries(_ observer: some RunObserver) {
        var ignored = 0
        for (prefix, data) in [("", request.data)] + (request.validationData.map { [("validation ", $0)] } ?? []) {
            guard let classes = try? data.classes() else { continue }
            // A collection has no folder here to look into.
            ignored += IgnoredEntries.report(classes.filter { $0.collection == nil }.map { (role: prefix + $0.name, url: $0.url) },
                                             followSymlinks: request.followSymlinks, to: observer)
            if case .classFolders(let root, _, _) = data {
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted() {
                    var isFolder: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isFolder)
                    if isFolder.boolValue && !name.hasPrefix(".") { continue }
                    observer.warn("ignored \(prefix)\(name): \(name.hasPrefix(".") ? "hidden, not read" : "beside the class folders, not in one")")
                    ignored += 1
                }
            }
        }
        IgnoredEntries.sayCount(ignored, to: observer)
    }

    /// Trains with an open cache and prints the summary.
    public func train(store: (any CoverStore)?, _ observer: some RunObserver) throws -> TrainingOutcome {
        var trainer = try CoverTrainer(baseModelFile: baseModel, store: store, overrides: overrides)
        trainer.onCutShort = { observer.warnCutShort($0) }
        trainer.compute = compute
        let outcome = try trainer.train(request) { event in TrainingReport.show(event, to: observer) }
        for line in TrainingReport.summary(outcome) { observer.say(line) }
        return outcome
    }
}
