import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Runs
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
        try ExitStatus.run {
            if let threads { Parallelism.workers = max(1, threads) }
            var run = EvaluateRun(model: URL(fileURLWithPath: model), data: .classFolders(URL(fileURLWithPath: data), positive: positive),
                                  output: URL(fileURLWithPath: json), cache: cacheOptions.settings)
            run.limits = inputOptions.limits
            run.followSymlinks = inputOptions.followSymlinks
            return try run.run(TerminalObserver()).skipped
        }
    }
}
