import CoverAnalysis
import Foundation
import Reports
import Runs
import Testing

/// The run types do a command's whole job and say what they did; the commands only configure them.
@Suite(.serialized, .enabled(if: RunFixtures.haveModel, "needs Models/efficientnet-lite0.safetensors (run scripts/setup.sh)"))
struct RunTests {
    @Test func scoreWithoutPagesWritesTheResultsAndSaysWhere() throws {
        let covers = try RunFixtures()
        let out = covers.url("out")
        let observer = CollectingObserver()
        let run = ScoreRun(request: ScoreRequest(popular: covers.popular, candidates: covers.candidates, other: covers.other),
                           model: RunFixtures.model, report: ReportSettings(folder: out, formats: []))
        let outcome = try run.run(observer)

        #expect(outcome.bundle == nil)
        #expect(try AnalysisResult.read(from: out.appendingPathComponent("results.json")) == outcome.result)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.csv").path))
        #expect(outcome.result.generator == Version.generator)
        #expect(outcome.result.candidates.count == 2 && outcome.skipped.isEmpty)
        #expect(observer.said.first == "2 candidates scored against 6 popular covers and 6 others (efficientnet-lite0)", "\(observer.said)")
        #expect(observer.said.last == "results: \(out.path)/results.json", "\(observer.said)")
        #expect(observer.phases == ["popular", "other", "candidates"], "\(observer.phases)")
    }

    @Test func scoreWritesTheBundleWithTheLogBesideTheModel() throws {
        let covers = try RunFixtures(perClass: 4)
        // A trained model's folder: the model file (here the base model) with its training log.
        let modelFolder = covers.url("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        let model = modelFolder.appendingPathComponent("model.safetensors")
        try FileManager.default.copyItem(at: RunFixtures.model, to: model)
        let log = TrainingLog(epochs: [.init(epoch: 1, trainLoss: 0.7, validationLoss: 0.6), .init(epoch: 2, trainLoss: 0.5, validationLoss: 0.55)])
        try log.write(to: modelFolder.appendingPathComponent("training-log.json"))

        let out = covers.url("report")
        let observer = CollectingObserver()
        let outcome = try ScoreRun(request: ScoreRequest(popular: covers.popular, candidates: covers.candidates),
                                   model: model, report: ReportSettings(folder: out, formats: [.html])).run(observer)
        let bundle = try #require(outcome.bundle)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: bundle.zip.path))
        #expect(try TrainingLog.read(from: out.appendingPathComponent("training-log.json")) == log)
        #expect(observer.said.suffix(2) == ["report: \(bundle.folder.path)/index.html", "bundle: \(bundle.zip.path)"], "\(observer.said)")
        #expect(observer.phases.last == "report")
    }

    @Test func trainThenEvaluateSayWhatTheyMeasured() throws {
        let covers = try RunFixtures()
        var config = TrainingConfig()
        config.epochs = 3
        config.seed = 1
        let observer = CollectingObserver()
        let trained = try TrainRun(request: TrainingRequest(data: .pair(popular: covers.popular, other: covers.other),
                                                            output: covers.url("train"), config: config),
                                   baseModel: RunFixtures.model).run(observer)
        let model = try #require(trained.modelFile)
        #expect(trained.log.epochs.count == 3)
        #expect(observer.said.contains("epoch  train loss  val loss  accuracy  AUC     precision  recall  F1"), "\(observer.said)")
        #expect(observer.said.contains("model: \(model.path)"), "\(observer.said)")

        let evaluationFile = covers.url("evaluate/evaluation.json")
        let evaluation = try EvaluateRun(model: model, data: .pair(popular: covers.popular, other: covers.other),
                                         output: evaluationFile).run(observer)
        #expect(evaluation.metrics.count == 12)
        #expect(FileManager.default.fileExists(atPath: evaluationFile.path))
        #expect(observer.said.contains(EvaluationTable.render(evaluation)))
        #expect(observer.said.last == "metrics: \(evaluationFile.path)")
    }

    /// A bad setting is reported before anything is opened: here the cache's folder cannot be created.
    @Test func trainingSettingsAreCheckedBeforeTheCacheIsOpened() throws {
        let covers = try RunFixtures(perClass: 1)
        let blocker = covers.url("file")
        try Data("x".utf8).write(to: blocker)
        var config = TrainingConfig()
        config.epochs = 0
        let run = TrainRun(request: TrainingRequest(data: .pair(popular: covers.popular, other: covers.other),
                                                    output: covers.url("train"), config: config),
                           baseModel: RunFixtures.model,
                           cache: CacheSettings(file: blocker.appendingPathComponent("cache.sqlite")))
        #expect(throws: TrainingConfigError.self) { try run.run(CollectingObserver()) }
    }
}
