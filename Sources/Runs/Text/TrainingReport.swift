import CoverAnalysis
import Foundation

/// What `train` and `demo` say while training: class counts, a progress bar per epoch with its
/// loss, then the table of epochs and where the model went.
public enum TrainingReport {
    /// Passes one training event on to `observer`.
    public static func show(_ event: TrainingProgress, to observer: some RunObserver) {
        switch event {
        case .scanning(let phase, let done, let total):
            observer.progress(phase, done: done, total: total)
        case .data(let counts, let training, let validation, let resumed):
            let classes = counts.map { "\($0.name)\($0.positive ? " (positive)" : ""): \($0.count)" }.joined(separator: ", ")
            observer.say("covers: \(classes); training \(training), validation \(validation)")
            if let resumed { observer.say("resuming after epoch \(resumed)") }
        case .step(let epoch, let epochs, let batch, let batches, let loss):
            observer.progress("epoch \(epoch)/\(epochs)", done: batch, total: batches, detail: String(format: "loss %.4f", loss))
        case .epoch(let m, let total, _):
            var detail = String(format: "loss %.4f", m.training.loss)
            if let v = m.validation {
                detail += String(format: " val loss %.4f acc %.3f", v.loss, v.accuracy)
                if let auc = v.rocAUC { detail += String(format: " AUC %.3f", auc) }
            }
            observer.progress("train", done: m.epoch, total: total, detail: detail)
        case .choice(let line):
            observer.say("chosen: \(line)")
        case .budgetReached(let done, let minutes):
            observer.say("budget of \(TrainingPlan.text(minutes)) min reached: no time for another epoch after epoch \(done)")
        }
    }

    /// The summary after training: one row per epoch (the kept one marked), the kept epoch's
    /// validation metrics, and the model and log files.
    public static func summary(_ outcome: TrainingOutcome) -> [String] {
        var lines = ["", "epoch  train loss  val loss  accuracy  AUC     precision  recall  F1"]
        for e in outcome.log.epochs {
            func f(_ x: Double?, _ width: Int) -> String {
                (x.map { String(format: "%.4f", $0) } ?? "-").padding(toLength: width, withPad: " ", startingAt: 0)
            }
            lines.append(String(e.epoch).padding(toLength: 7, withPad: " ", startingAt: 0) + f(e.trainLoss, 12) + f(e.validationLoss, 10)
                         + f(e.validationAccuracy, 10) + f(e.validationAUC, 8) + f(e.precision, 11) + f(e.recall, 8) + f(e.f1, 6)
                         + (e.epoch == outcome.bestEpoch ? "  ← kept" : ""))
        }
        if let v = outcome.validation {
            let c = v.confusion
            lines.append("kept epoch \(outcome.bestEpoch): validation AUC \(v.rocAUC.map { String(format: "%.4f", $0) } ?? "undefined"), "
                         + String(format: "accuracy %.4f", v.accuracy)
                         + " (TP \(c.truePositives), FP \(c.falsePositives), TN \(c.trueNegatives), FN \(c.falseNegatives))")
        }
        if outcome.stoppedForBudget {
            lines.append("stopped by --budget after epoch \(outcome.log.epochs.count); --resume --budget MINUTES continues")
        }
        if let model = outcome.modelFile {
            lines.append("model: \(model.path)")
        } else {
            lines.append("stopped after epoch \(outcome.log.epochs.count); continue with --resume")
        }
        lines.append("log: \(outcome.logFile.path)")
        return lines
    }
}
