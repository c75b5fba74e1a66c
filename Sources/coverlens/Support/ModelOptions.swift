import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Store
import Runs
import Support
import Tensors

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
    var colourManagement: OnOffSetting?

    @Option(help: ArgumentHelp(
        "Decode JPEG covers reduced in libjpeg (1/2, 1/4 or 1/8, keeping both sides at least the network's input size), as PIL's Image.draft does.",
        discussion: "Faster on large JPEGs (a 600×900 cover decodes at 300×450 for a 224 input) and the pixels change slightly, so it is recorded in models trained with it and kept apart in the cache. Default: what the model file records (off for the pretrained model).",
        valueName: "on|off"))
    var jpegDraft: OnOffSetting?

    /// The run's threads: --threads for CoverLens's own loops (default: every core), OpenBLAS single-threaded.
    var compute: ComputeContext { ComputeContext(workers: threads ?? Parallelism.available) }

    /// The model file asked for, or the default.
    var url: URL { model.map { URL(fileURLWithPath: $0) } ?? DefaultPaths().model }

    /// --colour-management and --jpeg-draft when given, replacing what the model file records.
    var preprocessingOverrides: PreprocessingOverrides {
        PreprocessingOverrides(colourManagement: colourManagement.map { $0 == .on }, jpegDraft: jpegDraft.map { $0 == .on })
    }

    func load() throws -> CoverModel {
        try CoverModel.load(contentsOf: url, overrides: preprocessingOverrides)
    }
}

/// Options for the embedding cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Embedding cache (SQLite).",
                                            discussion: "Default: $XDG_CACHE_HOME/coverlens/embeddings.sqlite, else ~/.cache/coverlens/embeddings.sqlite; when the default cannot be used the run goes on without a cache, with a warning.",
                                            valueName: "FILE"))
    var cache: String?

    @Flag(name: .long, help: "Do not read or write the embedding cache.")
    var noCache = false

    @Flag(name: .long, help: "Delete the embedding cache first. (A damaged cache is moved aside to FILE.damaged and rebuilt without it.)")
    var rebuildCache = false

    @Option(name: .long, help: ArgumentHelp(
        "Shared store instead of the cache: PostgreSQL with pgvector (default: $COVERLENS_STORE).",
        discussion: "The password comes from PGPASSWORD or ~/.pgpass, never from the command line; the URL is only ever shown without it.",
        valueName: "postgresql://USER@HOST:PORT/DB"))
    var store: String?

    /// --store, else COVERLENS_STORE (an empty value counts as unset).
    var storeURL: String? {
        store ?? ProcessInfo.processInfo.environment["COVERLENS_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        if let storeURL {
            do { _ = try StoreLocation(storeURL) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The cache these options ask for (the shared store when one is given; `validate` has read its URL).
    var settings: CacheSettings {
        let store = storeURL.flatMap { try? StoreLocation($0) }
        if noCache { return CacheSettings(file: nil, store: store) }
        guard let cache else {
            var settings = CacheSettings.defaultFile(rebuild: rebuildCache)
            settings.store = store
            return settings
        }
        return CacheSettings(file: URL(fileURLWithPath: cache), rebuild: rebuildCache, store: store)
    }
}
