import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Networks
import Runs
import Support

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the popularity head on labelled covers.",
        discussion: """
            DATA holds one sub-folder per class, as torchvision's ImageFolder reads it. With two class folders \
            they are the two classes: popular/ (or the one --positive names) against the other, whatever it is \
            called. With more, the not-popular class is other/, or the folders named with --negative (repeat it); \
            the folders left out are named in one line. candidates/ (what `coverlens synth` writes beside the \
            classes) is never a class unless named. Or give --popular DIR --other DIR. A cover found in both \
            classes (same content) is a labelling mistake: it is named and left out of both. A stratified, \
            seeded share of each class (--val-split) is held out for validation, or --val DIR gives a separate \
            labelled set (the same class folders). Input folders may not be the same or one inside another.

            --mode auto (the default) chooses from the number of training covers the class folders list: head mode \
            below 3000, full fine-tuning from there (the head at --lr, the backbone at a tenth of it, about 15000 \
            cover passes in 2 to 6 epochs, stopping after 2 epochs without a better validation AUC). The choice and \
            its reason are printed, and recorded in the log and the model file; --plan prints them without \
            training. Flags you give are kept. --budget MINUTES caps any mode at an epoch boundary.

            --mode head freezes the backbone: every cover is embedded once and cached (--cache), so a \
            second run recomputes nothing and the head trains in seconds; without --weight-decay its L2 penalty \
            is chosen by 3-fold inner validation on the training covers. --mode partial also trains the backbone's \
            last --trainable-blocks blocks, --mode full trains everything (--freeze-bn keeps BatchNorm's running \
            statistics); both decode every cover every epoch on a background thread and augment the training covers \
            (small random resized crops, colour jitter; --hflip adds mirroring, --no-augment turns it off, which in \
            partial mode lets the frozen layers run once for the whole run). Head mode uses the cached, un-augmented \
            embeddings. Every mode starts from --model's backbone and a fresh head drawn from --seed; --keep-head \
            starts from --model's own one-logit head instead (one imported from the PyTorch recipe, or trained before).

            Writes to --out (default Output/train/): model.safetensors (the base model's backbone plus the trained \
            head, with the training settings and validation metrics in its metadata; score with \
            `coverlens score --model OUT/model.safetensors`), training-log.json (every epoch's losses, accuracy, AUC, \
            precision, recall, F1, confusion matrix), and checkpoint.safetensors (written atomically after every \
            epoch; --resume continues an interrupted run). The kept head is the epoch with the best validation AUC. \
            The same seed, data and --threads give a byte-identical model.

            Examples:
              coverlens train Examples --epochs 20 --seed 1
              coverlens train --popular Examples/popular --other Examples/other
              coverlens train DATA --positive bestsellers --negative midlist
              coverlens train DATA --plan
              coverlens train DATA --budget 30
              coverlens train DATA --out Output/train --resume

            \(ExitStatus.help)
            """)

    @Argument(help: ArgumentHelp("Folder with one sub-folder per class.", valueName: "DATA"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Folder of popular covers (instead of DATA), or collection:NAME in the shared store (--store; head mode).",
                                            valueName: "DIR"))
    var popular: String?

    @Option(name: .long, help: ArgumentHelp("Folder of other covers (with --popular), or collection:NAME.", valueName: "DIR"))
    var other: String?

    @OptionGroup var classFolders: ClassFolderOptions

    @Option(name: .long, help: ArgumentHelp("Separate validation set with the same class folders as DATA.", valueName: "DIR"))
    var val: String?

    @OptionGroup var training: TrainingOptions

    @Flag(name: .long, help: "Weight popular covers by others/popular in the loss (for unbalanced data).")
    var balance = false

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String = "Output/train"

    @Flag(name: .long, help: "Continue from OUT/checkpoint.safetensors (same data and settings; --epochs may grow).")
    var resume = false

    @Flag(name: .long, help: "Print what auto mode chooses for this data, and why, then stop without training.")
    var plan = false

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions

    func validate() throws {
        switch (data, popular, other) {
        case (_?, nil, nil), (nil, _?, _?): break
        case (nil, nil, nil): throw ValidationError("give DATA (one sub-folder per class) or --popular DIR --other DIR")
        case (_?, _, _): throw ValidationError("give either DATA or --popular/--other, not both")
        default: throw ValidationError("--popular and --other go together")
        }
        if let popular, let other, popular.hasPrefix(CoverSetLocation.collectionPrefix) != other.hasPrefix(CoverSetLocation.collectionPrefix) {
            throw ValidationError("--popular and --other are both folders or both collections (collection:NAME)")
        }
        if data == nil && !classFolders.negative.isEmpty { throw ValidationError("--negative names a folder of DATA; with --popular/--other it has nothing to name") }
        try ValidationError.usage { try request().validate() }
    }

    private func request() -> TrainingRequest {
        let layout: LabelledFolders = data.map(classFolders.folders) ?? Self.pair(popular: popular ?? "", other: other ?? "")
        var request = TrainingRequest(data: layout, output: URL(fileURLWithPath: out), config: training.config)
        request.validationData = val.map(classFolders.folders)
        request.resume = resume
        request.followSymlinks = inputOptions.followSymlinks
        request.limits = inputOptions.limits
        request.balancePositives = balance
        request.automatic = training.automatic
        request.budgetMinutes = training.budget
        return request
    }

    /// Two folders, or two collections in the shared store (`collection:NAME`, head mode).
    static func pair(popular: String, other: String) -> LabelledFolders {
        switch (CoverSetLocation(argument: popular), CoverSetLocation(argument: other)) {
        case (.collection(let popular), .collection(let other)): .collections(popular: popular, other: other)
        default: .pair(popular: URL(fileURLWithPath: popular), other: URL(fileURLWithPath: other))
        }
    }

    func run() throws {
        if plan {
            try ExitStatus.run {
                let run = TrainRun(request: request(), baseModel: modelOptions.url, cache: cacheOptions.settings)
                try run.showPlan(TerminalObserver())
                return []
            }
            return
        }
        try ExitStatus.run {
            var run = TrainRun(request: request(), baseModel: modelOptions.url, cache: cacheOptions.settings)
            run.overrides = modelOptions.preprocessingOverrides
            run.compute = modelOptions.compute
            return try run.run(TerminalObserver()).skipped
        }
    }
}
