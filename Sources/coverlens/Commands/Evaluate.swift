import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Networks
import Support

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a trained model on a labelled folder of covers.",
        discussion: """
            DATA holds one sub-folder per class, as for `coverlens train` (popular/ positive, or --positive NAME). \
            Prints loss, accuracy (decision at probability 0.5), ROC AUC, precision, recall, F1 and the confusion \
            matrix, and writes them as JSON (--json, default Output/evaluate/evaluation.json).

            Example:
              coverlens synth --out Output/held-out --per-class 40 --candidates 0 --seed 99
              coverlens evaluate Output/train/model.safetensors Output/held-out

            \(ExitStatus.help)
            """)

    @Argument(help: ArgumentHelp("Trained model (.safetensors with a popularity head).", valueName: "MODEL"))
    var model: String

    @Argument(help: ArgumentHelp("Folder with one sub-folder per class.", valueName: "DATA"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("Name of DATA's positive class folder.", valueName: "NAME"))
    var positive: String = "popular"

    @Option(name: .long, help: ArgumentHelp("Where to write the metrics as JSON.", valueName: "FILE"))
    var json: String = "Output/evaluate/evaluation.json"

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var cacheOptions: CacheOptions

    func run() throws {
        do {
            if let threads { Parallelism.workers = max(1, threads) }
            let loaded = try CoverModel.load(contentsOf: URL(fileURLWithPath: model))
            ModelOptions.noteUnrecordedLogit(loaded, path: model)
            var evaluator = CoverEvaluator(model: loaded, store: try cacheOptions.open())
            evaluator.limits = inputOptions.limits
            evaluator.followSymlinks = inputOptions.followSymlinks
            let bar = ProgressBar()
            let result = try evaluator.evaluate(.classFolders(URL(fileURLWithPath: data), positive: positive)) { phase, done, total in
                bar.update("embed \(phase)", done, total)
            }
            let url = URL(fileURLWithPath: json)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try result.write(to: url)
            print(EvaluationTable.render(result))
            print("metrics: \(url.path)")
            if result.suggestsFlippedLogit {
                let flip = loaded.metadata[LogitMeaning.metadataKey] == LogitMeaning.other.rawValue ? "popular" : "other"
                printError("warning: ROC AUC \(String(format: "%.4f", result.metrics.rocAUC ?? 0)) is far below 0.5: the model ranks other covers "
                           + "above popular ones, as a logit that predicts the other class does. If \(model) came from the PyTorch recipe, "
                           + "import it again with --logit-means \(flip) (or --popular-folder NAME --other-folder NAME)")
            }
            for s in result.skipped { printError("skipped \(s.folder)/\(s.file): \(s.reason)") }
            if !result.skipped.isEmpty { throw ExitCode(ExitStatus.skippedFiles) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

/// The table `evaluate` prints.
enum EvaluationTable {
    static func render(_ e: Evaluation) -> String {
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
