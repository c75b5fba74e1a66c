import CoverAnalysis
import Foundation
import Rendering
import Testing
@testable import Reports

/// Verdict thresholds and training logs in both formats.
@Suite struct ReportContentTests {
    @Test func verdictFollowsThePopularQuartiles() {
        #expect(Verdict(percentileAmongPopular: 75) == .strong)
        #expect(Verdict(percentileAmongPopular: 74.9) == .typical)
        #expect(Verdict(percentileAmongPopular: 25) == .typical)
        #expect(Verdict(percentileAmongPopular: 24.9) == .unlike)
        #expect(Verdict(percentileAmongPopular: .nan) == .unlike)
    }

    @Test func nearDuplicateNamesTheMatchingPopularCover() {
        let candidates = SampleReport.result().candidates
        #expect(Verdict.nearDuplicateOf(candidates[0]) == candidates[0].matches[0].file)
        #expect(Verdict.nearDuplicateOf(candidates[1]) == nil)
    }

    @Test func trainingLogReadsFlatAndTrainerHistories() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let flat = folder.appendingPathComponent("flat.json")
        try Data(#"[{"epoch": 1, "trainLoss": 0.7, "validationLoss": 0.65, "validationAUC": 0.7}, {"epoch": 2, "trainLoss": 0.5}]"#.utf8)
            .write(to: flat)
        let log = try TrainingLog.read(from: flat)
        #expect(log.epochs.count == 2 && log.epochs[0].validationAUC == 0.7 && log.epochs[1].validationLoss == nil)

        let history = folder.appendingPathComponent("history.json")
        let metrics = #"{"count": 10, "loss": 0.4, "accuracy": 0.8, "rocAUC": 0.9, "precision": 0.8, "recall": 0.8, "f1": 0.8, "#
            + #""confusion": {"truePositives": 4, "falsePositives": 1, "trueNegatives": 4, "falseNegatives": 1}, "threshold": 0.5}"#
        try Data(#"{"bestEpoch": 1, "history": [{"epoch": 1, "learningRate": 0.001, "training": \#(metrics), "validation": \#(metrics)}]}"#.utf8)
            .write(to: history)
        let fromTrainer = try TrainingLog.read(from: history)
        #expect(fromTrainer.bestEpoch == 1 && fromTrainer.epochs.first?.validationAUC == 0.9, "\(fromTrainer)")

        let junk = folder.appendingPathComponent("junk.json")
        try Data(#"{"hello": 1}"#.utf8).write(to: junk)
        #expect(throws: ReportError.self) { try TrainingLog.read(from: junk) }
    }
}
