import Foundation
import Testing
@testable import CoverAnalysis
@testable import Networks

@Suite struct TrainingConfigTests {
    @Test func partialJSONFillsDefaults() throws {
        let json = #"{"epochs": 5, "optimizer": "adamw", "schedule": {"shape": "cosine", "warmupSteps": 1, "warmupStartFactor": 0.5, "totalSteps": 0, "minimumLearningRate": 0}}"#
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        #expect(config.epochs == 5 && config.optimizer == .adamw)
        #expect(config.batchSize == 32 && config.learningRate == 1e-3 && config.mode == .head)
        #expect(config.effectiveSchedule.totalSteps == 5, "cosine spans the epochs when totalSteps is 0")
        #expect(config.trainableBlocks == nil && !config.freezeBatchNorm && config.augment && !config.horizontalFlip,
                "fine-tuning settings default when missing")
    }

    @Test func fineTuningSettingsChooseTheModeAndAugmentation() throws {
        var config = TrainingConfig()
        #expect(config.augmentation == nil, "head mode does not augment")
        config.mode = .partial
        #expect(config.fineTuneMode(for: .efficientNetLite0) == .partial(lastBlocks: TrainingConfig.defaultTrainableBlocks(for: .efficientNetLite0)))
        config.trainableBlocks = 3
        #expect(config.fineTuneMode(for: .resnet18) == .partial(lastBlocks: 3))
        #expect(config.augmentation?.horizontalFlip == false, "partial mode augments, without flips by default")
        config.horizontalFlip = true
        #expect(config.augmentation?.horizontalFlip == true)
        config.augment = false
        #expect(config.augmentation == nil)
        config.mode = .full
        config.freezeBatchNorm = true
        #expect(config.fineTuneMode(for: .efficientNetLite0) == .full(freezeBatchNorm: true))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config)) == config, "round trip")
        config.trainableBlocks = 0
        #expect(throws: TrainingConfigError.self) { try config.validate() }
    }

    @Test func headModeRunsWithoutAugmentationAndOlderFilesStillRead() throws {
        // What model files and checkpoints of head-mode runs recorded before `asRun`.
        let older = #"{"mode": "head", "augment": true, "horizontalFlip": true, "epochs": 3}"#
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(older.utf8))
        #expect(config.augment && config.horizontalFlip, "an older file reads as written")
        #expect(!config.asRun.augment && !config.asRun.horizontalFlip && config.asRun.epochs == 3,
                "as run, head mode augments nothing and keeps every other setting")
        var partial = config
        partial.mode = .partial
        #expect(partial.asRun == partial, "partial mode augments what it is asked to")
    }

    @Test func roundTripsThroughJSON() throws {
        var config = TrainingConfig()
        config.positiveWeight = 2.5
        config.earlyStoppingPatience = 3
        config.seed = 12345
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config)) == config)
    }

    @Test func invalidSettingsAreNamed() {
        var config = TrainingConfig()
        config.batchSize = 0
        #expect(throws: TrainingConfigError(setting: "batch size", reason: "must be at least 1, got 0")) { try config.validate() }
        config = TrainingConfig()
        config.validationSplit = 1
        #expect(throws: TrainingConfigError.self) { try config.validate() }
    }

    @Test func optimiserFollowsTheConfiguration() {
        var config = TrainingConfig()
        config.optimizer = .sgd
        config.learningRate = 0.05
        #expect(config.makeOptimizer().state().kind == "sgd")
        #expect(config.makeOptimizer().learningRate == 0.05)
    }
}
