import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Runs
import Support
import Tensors

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a trained model on a labelled folder of covers.",
        discussion: """
            DATA holds class folders as for `coverlens train`: two folders are the two classes (popular/, or \
            --positive NAME, against the other); with more, other/ or the folders named with --negative are \
            the not-popular class; candidates/ is never a class unless named. Prints loss, accuracy (decision \
            at probability 0.5), ROC AUC, precision, recall, F1 and the confusion matrix, and writes them as \
            JSON to --out (default Output/evaluate/evaluation.json). --json prints them, with what was \
            skipped, as one JSON document on standard output.

            Examples:
              coverlens synth --out Output/held-out --per-class 40 --candidates 0 \\
                  --seed 99
              coverlens evaluate Output/train/model.safetensors Output/held-out
              coverlens evaluate Output/train/model.safetensors Output/held-out \\
                  --json --quiet

            \(ExitStatus.help)
            """)

    @Argument(help: ArgumentHelp("Trained model (.safetensors with a popularity head).", valueName: "MODEL"))
    var model: String

    @Argument(help: ArgumentHelp("Folder with one sub-folder per class.", valueName: "DATA"))
    var data: String

    @OptionGroup var classFolders: ClassFolderOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the metrics as JSON.", valueName: "FILE"))
    var out: String = "Output/evaluate/evaluation.json"

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let observer = TerminalObserver(outputOptions.mode)
        try ExitStatus.run(observer, command: "evaluate") {
            var run = EvaluateRun(model: URL(fileURLWithPath: model),
                                  data: classFolders.folders(data),
                                  output: URL(fileURLWithPath: out), cache: cacheOptions.settings)
            run.limits = inputOptions.limits
            run.followSymlinks = inputOptions.followSymlinks
            run.compute = ComputeContext(workers: threads ?? Parallelism.available)
            return run.document(try run.run(observer))
        }
    }
}
