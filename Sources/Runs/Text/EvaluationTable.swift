import CoverAnalysis
import Foundation

/// The table `evaluate` prints.
public enum EvaluationTable {
    public static func render(_ e: Evaluation) -> String {
        let m = e.metrics, c = m.confusion
        func row(_ name: String, _ value: String) -> String { name.padding(toLength: 22, withPad: " ", startingAt: 0) + value }
        func num(_ x: Double) -> String { String(format: "%.4f", x) }
        var lines = ["\(e.model) (\(e.architecture)) on \(e.data)",
                     e.classCounts.map { "\($0.name)\($0.positive ? " (positive)" : ""): \($0.count)" }.joined(separator: ", "),
                     row("metric", "value"),
                     row("covers", String(m.count)),
                     row("loss", num(m.loss)),
                     row("accuracy (p ≥ 0.5)", num(m.accuracy)),
                     row("ROC AUC", m.rocAUC.map(num) ?? "undefined (one class)"),
                     row("precision", num(m.precision)),
                     row("recall", num(m.recall)),
                     row("F1", num(m.f1)),
                     "",
                     row("", "predicted popular  predicted other"),
                     row("actually popular", String(c.truePositives).padding(toLength: 19, withPad: " ", startingAt: 0) + String(c.falseNegatives)),
                     row("actually other", String(c.falsePositives).padding(toLength: 19, withPad: " ", startingAt: 0) + String(c.trueNegatives))]
        if let auc = e.trainingValidation?["auc"] { lines.append("validation AUC recorded at training: \(num(auc))") }
        return lines.joined(separator: "\n")
    }
}
