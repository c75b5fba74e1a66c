import ArgumentParser
import CoverAnalysis
import Foundation

/// `--positive` and `--negative`: which class folders of a DATA folder hold the popular covers and
/// which the others, for the commands that read labelled data (train, evaluate).
struct ClassFolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Name of DATA's positive class folder.", valueName: "NAME"))
    var positive: String = LabelledFolders.defaultPositive

    @Option(name: .long, help: ArgumentHelp("A folder of DATA that holds not-popular covers (repeat for more; default: other/, or the one folder besides the positive).",
                                            valueName: "NAME"))
    var negative: [String] = []

    /// The class folders of `data` as these options name them.
    func folders(_ data: String) -> LabelledFolders {
        .classFolders(URL(fileURLWithPath: data), positive: positive, negatives: negative)
    }
}
