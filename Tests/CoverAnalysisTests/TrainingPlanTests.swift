import Foundation
import Testing
import Networks
import Support
import Tensors
@testable import CoverAnalysis

/// `--mode auto`'s choices (issue 14 part 2): decided from the number of training covers alone,
/// settings given by the user kept, and the reason written down.
@Suite struct TrainingPlanTests {
    @Test func smallSetsTrainTheHeadAndLargeOnesFineTuneEverything() {
        let small = TrainingPlan(config: TrainingConfig(), automatic: .all, trainingCovers: 96)
        #expect(small.config.mode == .head && small.config.epochs == 20 && small.config.earlyStoppingPatience == nil)
        #expect(small.searchesWeightDecay, "head mode chooses its weight decay")
        #expect(small.choices == ["mode head: 96 training covers, fewer than the 3000 from which auto mode fine-tunes"],
                "\(small.choices)")
        #expect(TrainingPlan(config: TrainingConfig(), automatic: .all, trainingCovers: 2_999).config.mode == .head)

        let large = TrainingPlan(config: TrainingConfig(), automatic: .all, trainingCovers: 3_103)
        #expect(large.config.mode == .full)
        #expect(large.config.epochs == 5, "ceil(15000 / 3103) = 5, got \(large.config.epochs)")
        #expect(large.config.learningRate == 1e-3 && abs((large.config.backboneLearningRate ?? 0) - 1e-4) < 1e-12)
        #expect(large.config.earlyStoppingPatience == 2 && large.config.augment)
        #expect(!large.searchesWeightDecay)
        #expect(large.choices.first?.hasPrefix("mode full: 3103 training covers, at least 3000") == true, "\(large.choices)")
        #expect(large.choices.count == 4, "mode, epochs, backbone lr, patience: \(large.choices)")

        #expect(TrainingPlan(config: TrainingConfig(), automatic: .all, trainingCovers: 50_000).config.epochs == 2, "at least 2 epochs")
        #expect(TrainingPlan(config: TrainingConfig(), automatic: .all, trainingCovers: 3_000).config.epochs == 5)
    }

    @Test func settingsTheUserGaveAreKept() {
        var asked = TrainingConfig()
        asked.epochs = 9
        asked.learningRate = 3e-4
        let plan = TrainingPlan(config: asked, automatic: [.mode, .backboneLearningRate, .patience, .weightDecay], trainingCovers: 10_000)
        #expect(plan.config.mode == .full && plan.config.epochs == 9 && plan.config.learningRate == 3e-4)
        #expect(abs((plan.config.backboneLearningRate ?? 0) - 3e-5) < 1e-12, "a tenth of the given head rate")

        // An explicit fine-tuning mode keeps today's settings: nothing is chosen for it.
        asked.mode = .partial
        let explicit = TrainingPlan(config: asked, automatic: [.epochs, .learningRate, .backboneLearningRate, .patience, .weightDecay],
                                    trainingCovers: 10_000)
        #expect(explicit.config == asked && explicit.choices.isEmpty && !explicit.searchesWeightDecay)
        // Explicit head mode still chooses its weight decay unless given.
        asked.mode = .head
        #expect(TrainingPlan(config: asked, automatic: [.weightDecay], trainingCovers: 100).searchesWeightDecay)
        #expect(!TrainingPlan(config: asked, automatic: [], trainingCovers: 100).searchesWeightDecay)
    }

    @Test func numbersReadAsTyped() {
        #expect(TrainingPlan.text(1e-4) == "1e-4" && TrainingPlan.text(0.001) == "1e-3" && TrainingPlan.text(0.1) == "0.1")
        #expect(TrainingPlan.text(0) == "0" && TrainingPlan.text(10) == "10" && TrainingPlan.text(2.5e-5) == "2.5e-5")
    }

    /// 60 examples of 40 values: one informative value and 39 of noise, so how strongly the head is
    /// held back matters.
    static func noisyProblem(seed: UInt64) -> (Tensor, [Float]) {
        var rng = SeededGenerator(seed: seed)
        let n = 60, d = 40
        var values: [Float] = [], labels: [Float] = []
        for i in 0..<n {
            let label: Float = i % 2 == 0 ? 1 : 0
            labels.append(label)
            for j in 0..<d { values.append(rng.uniformFloat(-1, 1) + (j == 0 ? (label - 0.5) * 0.8 : 0)) }
        }
        return (Tensor(shape: [n, d], storage: values), labels)
    }

    @Test func weightDecayIsChosenOnInnerFoldsTheSameWayEveryTime() throws {
        let (x, y) = Self.noisyProblem(seed: 3)
        var config = TrainingConfig()
        config.epochs = 8
        config.batchSize = 8
        config.learningRate = 0.01
        let search = try #require(try WeightDecaySearch(features: x, labels: y, config: config))
        #expect(search.scores.map(\.weightDecay) == WeightDecaySearch.candidates)
        let best = search.scores.max { WeightDecaySearch.worse($0, than: $1) }!
        #expect(search.chosen == best.weightDecay)
        #expect(search.scores.allSatisfy { $0.meanAUC != nil }, "every fold has both classes")
        #expect(Set(search.scores.compactMap(\.meanAUC)).count > 1, "the penalty changes the inner AUC: \(search.scores)")
        let again = try #require(try WeightDecaySearch(features: x, labels: y, config: config))
        #expect(again == search, "deterministic")
        #expect(search.choice.hasPrefix("weight decay \(TrainingPlan.text(search.chosen)): mean inner-validation AUC"), "\(search.choice)")

        // Folds keep each class's share, and a class smaller than the folds gives no search.
        let folds = WeightDecaySearch.folds(labels: y, count: 3, seed: 1)
        for f in 0..<3 {
            let members = y.indices.filter { folds[$0] == f }
            #expect(members.count == 20 && members.filter { y[$0] > 0.5 }.count == 10, "fold \(f)")
        }
        let few = Tensor(shape: [4, 2], storage: [0, 1, 1, 0, 0, 1, 1, 0])
        #expect(try WeightDecaySearch(features: few, labels: [1, 0, 0, 0], config: config) == nil)
    }

    @Test func tiesGoToTheHigherAUCThenTheLowerLossThenTheSmallerPenalty() {
        typealias S = WeightDecaySearch.Score
        #expect(WeightDecaySearch.worse(S(weightDecay: 0, meanAUC: 0.8, meanLoss: 0.1), than: S(weightDecay: 0.1, meanAUC: 0.9, meanLoss: 0.5)))
        #expect(WeightDecaySearch.worse(S(weightDecay: 0, meanAUC: 1, meanLoss: 0.3), than: S(weightDecay: 0.1, meanAUC: 1, meanLoss: 0.2)))
        #expect(WeightDecaySearch.worse(S(weightDecay: 0.1, meanAUC: 1, meanLoss: 0.2), than: S(weightDecay: 0, meanAUC: 1, meanLoss: 0.2)))
    }
}

/// Auto mode and `--budget` through `CoverTrainer` on the tiny model (TrainingFixtures): the choice
/// is logged and recorded in the model, and a run resumes to the uninterrupted model in every mode
/// (auto choosing head or full fine-tuning, here; explicit head mode in CoverTrainerTests, partial in
/// FineTuneTrainerTests, all three killed and resumed through the command in TrainKillResumeTests).
@Suite(.serialized) struct AutoTrainingTests {
    static func request(_ space: TrainingFixtures.Workspace, out: String, automatic: AutomaticSettings = .all,
                        fineTuningFrom: Int = 3_000, epochs: Int? = nil) -> TrainingRequest {
        var config = TrainingConfig()
        config.learningRate = 0.003
        config.batchSize = 8
        config.seed = 5
        config.trainableBlocks = 1
        if let epochs { config.epochs = epochs }
        var request = TrainingRequest(data: .classFolders(space.data, positive: "popular"), output: space.url(out), config: config)
        request.automatic = automatic
        request.planRule.fineTuningFrom = fineTuningFrom
        request.planRule.coverPasses = 48   // 16 training covers: 3 epochs
        return request
    }

    static func train(_ space: TrainingFixtures.Workspace, _ request: TrainingRequest, resume: Bool = false,
                      stopAfter: Int? = nil, budgetMinutes: Double? = nil) throws -> TrainingOutcome {
        var request = request
        request.resume = resume
        request.stopAfterEpochs = stopAfter
        request.budgetMinutes = budgetMinutes
        return try CoverTrainer(baseModelFile: space.model, store: try space.store()).train(request)
    }

    static func metadata(_ url: URL?) throws -> [String: String] {
        try SafeTensors(contentsOf: try #require(url)).metadata
    }

    @Test func autoOnAFewCoversTrainsTheHeadAndSaysWhyInLogAndModel() throws {
        let space = try TrainingFixtures.Workspace(popular: 11, other: 11)   // 9 + 9 for training
        let events = Events()
        var request = Self.request(space, out: "auto")
        request.config.epochs = 6
        request.automatic.remove(.epochs)
        let outcome = try CoverTrainer(baseModelFile: space.model, store: try space.store()).train(request) { events.add($0) }
        #expect(outcome.log.config?.mode == .head)
        #expect(outcome.choices.count == 2, "mode and weight decay: \(outcome.choices)")
        #expect(outcome.choices[0] == "mode head: 18 training covers, fewer than the 3000 from which auto mode fine-tunes")
        #expect(outcome.choices[1].hasPrefix("weight decay "), "\(outcome.choices)")
        #expect(events.choices == outcome.choices, "each choice reported as it is made")
        let log = try TrainingLog.decoder.decode(TrainingLog.self, from: Data(contentsOf: outcome.logFile))
        #expect(log.choices == outcome.choices)
        let metadata = try Self.metadata(outcome.modelFile)
        #expect(try JSONDecoder().decode([String].self, from: Data(try #require(metadata["choices"]).utf8)) == outcome.choices)
        let model = try CoverModel.load(contentsOf: try #require(outcome.modelFile))
        let summary = try #require(model.trainingSummary)
        #expect(summary.hasPrefix("head mode, 6 epochs, kept epoch \(outcome.bestEpoch); mode head: 18 training covers"), "\(summary)")
        // The chosen weight decay is the one the model was trained with.
        let decay = try #require(outcome.log.config?.weightDecay)
        #expect(outcome.choices[1].hasPrefix("weight decay \(TrainingPlan.text(decay)):"), "\(outcome.choices[1]) vs \(decay)")
    }

    @Test func autoAboveTheThresholdFineTunesAndResumesToTheUninterruptedModel() throws {
        let space = try TrainingFixtures.Workspace(popular: 10, other: 10)
        let request = Self.request(space, out: "whole", fineTuningFrom: 10)
        let whole = try Self.train(space, request)
        let config = try #require(whole.log.config)
        #expect(config.mode == .full && config.epochs == 3 && abs((config.backboneLearningRate ?? 0) - 0.0003) < 1e-12
                && config.earlyStoppingPatience == 2,
                "\(whole.choices)")
        #expect(try Self.metadata(whole.modelFile)["fineTuning"] == "full")

        var parts = request
        parts.output = space.url("parts")
        let stopped = try Self.train(space, parts, stopAfter: 1)
        #expect(stopped.modelFile == nil && stopped.log.epochs.count == 1)
        let resumed = try Self.train(space, parts, resume: true)
        #expect(resumed.resumedFromEpoch == 1 && resumed.choices == whole.choices)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == Data(contentsOf: try #require(resumed.modelFile)),
                "auto mode resumed gives the uninterrupted model byte for byte")
    }

    @Test func autoHeadModeResumesToTheUninterruptedModel() throws {
        let space = try TrainingFixtures.Workspace(popular: 10, other: 10)
        var request = Self.request(space, out: "whole", epochs: 5)
        request.automatic.remove(.epochs)
        let whole = try Self.train(space, request)
        var parts = request
        parts.output = space.url("parts")
        _ = try Self.train(space, parts, stopAfter: 2)
        let resumed = try Self.train(space, parts, resume: true)
        #expect(resumed.resumedFromEpoch == 2 && resumed.log.config?.mode == .head)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == Data(contentsOf: try #require(resumed.modelFile)))
    }

    /// Both fine-tuning modes with the settings auto mode gives full fine-tuning (a backbone rate
    /// of its own, early stopping), as `Benchmarks/fine-tune-modes.sh` runs partial mode.
    @Test(arguments: [TrainingConfig.Mode.partial, .full])
    func fineTuningResumesToTheUninterruptedModelWithABackboneRateOfItsOwn(_ mode: TrainingConfig.Mode) throws {
        let space = try TrainingFixtures.Workspace(popular: 8, other: 8)
        var request = Self.request(space, out: "whole", automatic: [], epochs: 2)
        request.config.mode = mode
        request.config.backboneLearningRate = 0.0003
        request.config.earlyStoppingPatience = 2
        let whole = try Self.train(space, request)
        var parts = request
        parts.output = space.url("parts")
        _ = try Self.train(space, parts, stopAfter: 1)
        let resumed = try Self.train(space, parts, resume: true)
        #expect(resumed.resumedFromEpoch == 1)
        #expect(try Data(contentsOf: try #require(whole.modelFile)) == Data(contentsOf: try #require(resumed.modelFile)))

        // The backbone's own rate reaches the optimiser: the same run with one rate for all differs.
        var uniform = request
        uniform.output = space.url("uniform")
        uniform.config.backboneLearningRate = nil
        let same = try Self.train(space, uniform)
        #expect(try Data(contentsOf: try #require(same.modelFile)) != Data(contentsOf: try #require(whole.modelFile)))
    }

    @Test func aBudgetEndsTheRunAtAnEpochBoundaryAndResumeHonoursIt() throws {
        let space = try TrainingFixtures.Workspace(popular: 8, other: 8)
        var request = Self.request(space, out: "capped", automatic: [], epochs: 4)
        request.config.mode = .partial
        // A budget far below one epoch: the first epoch runs, no second one starts.
        let capped = try Self.train(space, request, budgetMinutes: 1e-6)
        #expect(capped.stoppedForBudget && capped.log.epochs.count == 1 && capped.log.stoppedForBudget == true)
        let modelFile = try #require(capped.modelFile, "a run stopped by its budget writes its model")
        #expect(try Self.metadata(modelFile)["budget"]?.hasPrefix("1e-6 minutes, reached after epoch 1") == true)
        let checkpoint = try Self.metadata(capped.checkpointFile)
        #expect(abs((checkpoint["budgetSeconds"].flatMap(Double.init) ?? 0) - 6e-5) < 1e-12)
        #expect((checkpoint["budgetSpentSeconds"].flatMap(Double.init) ?? 0) > 6e-5)

        // Resumed without --budget: the recorded budget is spent, nothing more runs.
        let again = try Self.train(space, request, resume: true)
        #expect(again.stoppedForBudget && again.log.epochs.count == 1 && again.modelFile != nil)
        // Resumed with a fresh budget: the run goes on to the model an uncapped run makes.
        let more = try Self.train(space, request, resume: true, budgetMinutes: 600)
        #expect(!more.stoppedForBudget && more.log.epochs.count == 4)
        var plain = request
        plain.output = space.url("plain")
        let uncapped = try Self.train(space, plain)
        #expect(try Self.weights(try #require(uncapped.modelFile)) == Self.weights(try #require(more.modelFile)),
                "the capped and resumed run holds the uncapped run's weights")
        #expect(try Self.metadata(more.modelFile)["budget"] == "600 minutes")
    }

    /// `train DATA --budget M` as the default chooses it on a large set: auto mode fine-tunes, the
    /// budget ends the run after its first epoch, and a resume with a fresh budget (the plan chosen
    /// again from the same covers) ends where the uninterrupted auto run ends.
    @Test func autoFineTuningStoppedByItsBudgetResumesToTheUninterruptedModel() throws {
        let space = try TrainingFixtures.Workspace(popular: 10, other: 10)
        let request = Self.request(space, out: "capped", fineTuningFrom: 10)
        let capped = try Self.train(space, request, budgetMinutes: 1e-6)
        #expect(capped.stoppedForBudget && capped.log.epochs.count == 1 && capped.log.config?.mode == .full, "\(capped.choices)")
        let more = try Self.train(space, request, resume: true, budgetMinutes: 600)
        #expect(more.resumedFromEpoch == 1 && !more.stoppedForBudget && more.choices == capped.choices)

        var plain = request
        plain.output = space.url("plain")
        let whole = try Self.train(space, plain)
        #expect(whole.log.epochs.count == more.log.epochs.count && whole.bestEpoch == more.bestEpoch)
        #expect(try Self.weights(try #require(whole.modelFile)) == Self.weights(try #require(more.modelFile)),
                "the capped and resumed auto run holds the uninterrupted auto run's weights")
    }

    /// Every tensor of a model file by name.
    static func weights(_ url: URL) throws -> [String: [Float]] {
        let file = try SafeTensors(contentsOf: url)
        return try Dictionary(uniqueKeysWithValues: file.tensors.names.map { ($0, try file.tensor($0).storage) })
    }

    @Test func aBudgetIsRefusedUnlessPositive() {
        var request = TrainingRequest(data: .pair(popular: URL(fileURLWithPath: "/a"), other: URL(fileURLWithPath: "/b")),
                                      output: URL(fileURLWithPath: "/tmp/x"))
        request.budgetMinutes = 0
        #expect(throws: TrainingConfigError.self) { try request.validate() }
        #expect(TrainingBudget(seconds: 60).allowsEpoch(spent: 500, epochsDone: 0, lastEpochSeconds: 100), "the first epoch always runs")
        #expect(!TrainingBudget(seconds: 60).allowsEpoch(spent: 30, epochsDone: 1, lastEpochSeconds: 31))
        #expect(TrainingBudget(seconds: 60).allowsEpoch(spent: 30, epochsDone: 1, lastEpochSeconds: 30))
    }

    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        var choices: [String] { lock.lock(); defer { lock.unlock() }; return stored }
        func add(_ event: TrainingProgress) {
            guard case .choice(let line) = event else { return }
            lock.lock(); stored.append(line); lock.unlock()
        }
    }
}
