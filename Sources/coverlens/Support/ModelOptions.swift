import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging

/// Where the default model lives: the EfficientNet-Lite0 weights that scripts/setup.sh converts.
enum DefaultPaths {
    /// The repository (or install) folder: the binary's ancestors are searched for `Models/`,
    /// then the current folder, so the tool works from a checkout and from anywhere after setup.
    static var models: URL {
        let fm = FileManager.default
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("Models")
            if fm.fileExists(atPath: candidate.appendingPathComponent("efficientnet-lite0.safetensors").path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Models")
    }

    static var model: URL { models.appendingPathComponent("efficientnet-lite0.safetensors") }

    /// The bundled Examples/ folder: beside the repository's Models/, else in the current folder.
    static func examples() throws -> URL {
        let fm = FileManager.default
        for base in [models.deletingLastPathComponent(), URL(fileURLWithPath: fm.currentDirectoryPath)] {
            let candidate = base.appendingPathComponent("Examples")
            if fm.fileExists(atPath: candidate.appendingPathComponent("popular").path) { return candidate }
        }
        throw ImageFolder.FolderError.missing("Examples (run the demo from the repository root, or pass --examples DIR)")
    }
    static var store: URL { URL(fileURLWithPath: "Output/.cache/embeddings.sqlite") }
}

/// Options shared by every command that runs the network.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model file (.safetensors from CoverLens, or a PyTorch .pth state dict).",
                                            discussion: "Default: Models/efficientnet-lite0.safetensors, the pretrained EfficientNet-Lite0 that scripts/setup.sh installs.",
                                            valueName: "MODEL"))
    var model: String?

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Decode covers with colour management (embedded colour profiles → sRGB) or as PIL does (off).",
        discussion: "Default: what the model file records (on for the pretrained model and models trained with it on).",
        valueName: "on|off"))
    var colourManagement: ColourManagementSetting?

    /// The model file asked for, or the default.
    var url: URL { model.map { URL(fileURLWithPath: $0) } ?? DefaultPaths.model }

    func load() throws -> CoverModel {
        try CoverModel.load(contentsOf: url, colourManagement: colourManagement.map { $0 == .on })
    }

    /// One line when `model`'s logit is read as p(popular) without the file saying so.
    static func noteUnrecordedLogit(_ model: CoverModel, path: String) {
        guard model.logitMeaningUnrecorded else { return }
        printError("note: \(path) does not say which class its logit predicts, so it is taken as p(popular); if it comes from "
                   + "the PyTorch recipe, convert it with coverlens import-weights --popular-folder NAME --other-folder NAME")
    }
}

/// Options for the embedding cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Embedding cache (SQLite).", valueName: "FILE"))
    var cache: String = DefaultPaths.store.path

    @Flag(name: .long, help: "Do not read or write the embedding cache.")
    var noCache = false

    @Flag(name: .long, help: "Delete the embedding cache first. (A damaged cache is moved aside to FILE.damaged and rebuilt without it.)")
    var rebuildCache = false

    /// The store, or nil with --no-cache. A damaged cache is set aside with one warning and
    /// rebuilt: it holds nothing that cannot be computed again.
    func open() throws -> EmbeddingStore? {
        guard !noCache else { return nil }
        let (store, setAside) = try EmbeddingStore.open(url: URL(fileURLWithPath: cache), rebuild: rebuildCache)
        if let setAside { printError("warning: \(setAside)") }
        return store
    }
}
