import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Runs
import Store
import Support
import Tensors

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute an embedding per cover with the backbone (the features before the head).",
        discussion: """
            Walks DIR recursively (\(ImageFormat.acceptedList), each file judged by its bytes, not its name) and \
            writes one row per cover that decodes. Files that cannot be used are listed with the reason \
            and skipped.

            --out FILE.safetensors holds one tensor `embeddings` [N, D] and, in its metadata, `files` \
            (a JSON list of the N paths relative to DIR, in row order), the model and the preprocessing. \
            --out FILE.csv writes `path` and then the D values per row instead.

            --out is checked before any cover is decoded. --json prints one JSON document on standard \
            output at the end (the file written, how many rows, what was skipped and why).

            With --store (or COVERLENS_STORE) the embeddings, colour statistics and thumbnails go to \
            a shared PostgreSQL store, and --out is optional; --collection NAME registers the folder's \
            covers under a name, and --shard I/N embeds one share of the folder, so N workers (a \
            Kubernetes Indexed Job, a Slurm array) embed it together. A worker killed and started \
            again finishes its shard; `coverlens store status` shows progress.

            Examples:
              coverlens embed Examples/popular --out Output/popular.safetensors
              coverlens embed Examples/popular --out Output/popular.csv --json --quiet
              coverlens embed /covers --store postgresql://coverlens@db:5432/covers \\
                  --collection backlist-2026 --shard 3/8

            \(ExitStatus.help)
            """)

    @Argument(help: "Folder of covers (searched recursively).")
    var dir: String

    @Option(name: .long, help: ArgumentHelp("Output file: .safetensors or .csv (optional with --store).", valueName: "FILE"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Register the covers under this name in the store (needs --store).", valueName: "NAME"))
    var collection: String?

    @Option(name: .long, help: ArgumentHelp(
        "Embed only shard I of N, chosen by a hash of each file's path relative to DIR.",
        discussion: "I defaults from JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (write /N), N from SLURM_ARRAY_TASK_COUNT.",
        valueName: "I/N"))
    var shard: String?

    @Option(name: .long, help: "Resize mode: stretch (whole cover to 224×224), crop (centre square), letterbox (pad). Default: the model's.")
    var geometry: Geometry?

    @Option(name: .long, help: "Images per network batch.")
    var batch: Int = 16

    @OptionGroup var options: ScanOptions

    func validate() throws {
        if let out {
            let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
            guard ext == "safetensors" || ext == "csv" else {
                throw ValidationError("--out must end in .safetensors or .csv (got \(out))")
            }
        }
        guard out != nil || options.cache.storeURL != nil else {
            throw ValidationError("give --out FILE, or --store URL (or COVERLENS_STORE) to embed into the shared store")
        }
        if collection != nil && options.cache.storeURL == nil {
            throw ValidationError("--collection needs a store: give --store URL or set COVERLENS_STORE")
        }
        if let collection, collection.isEmpty || collection.count > 200 {
            throw ValidationError("--collection needs a name of 1 to 200 characters")
        }
        do { _ = try Shard.resolve(flag: shard) } catch { throw ValidationError("\(error)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let observer = TerminalObserver(options.output.mode)
        try ExitStatus.run(observer, command: "embed") {
            let url = out.map { URL(fileURLWithPath: $0) }
            if let url { try OutputLocation.checkFile(url) }
            var model = try options.model.load()
            observer.detail("model: \(options.model.url.path) (\(model.architecture), preprocessing \(model.preprocessing.summary))")
            if let geometry { model.preprocessing.geometry = geometry }
            let folder = try ImageFolder(URL(fileURLWithPath: dir), followSymlinks: options.input.followSymlinks)
            // A shard reads only its own files: the others are never opened.
            let shard = try Shard.resolve(flag: shard) ?? .whole
            let files = folder.files.filter { shard.contains($0.relativePath) }
            let store = try options.cache.settings.open(observer)
            let shared = store as? PostgresStore
            if let collection, let shared {
                try shared.beginShard(collection: collection, shard: shard, modelFingerprint: model.embeddingFingerprint,
                                      dimension: model.backbone.embeddingDimension,
                                      label: "\(model.architecture) \(model.backbone.embeddingDimension)-d", expected: files.count)
            }
            var scan = CoverScan(model: model, store: store)
            scan.batchSize = batch
            scan.limits = options.input.limits
            scan.compute = options.model.compute
            scan.compute.applyGEMMThreads()
            scan.onCutShort = { observer.warnCutShort($0) }
            let result = try scan.embeddings(files, role: URL(fileURLWithPath: dir).lastPathComponent) { done, total in
                observer.progress("embedding", done: done, total: total)
            }
            if collection != nil { try shared?.finishShard(modelFingerprint: model.embeddingFingerprint, paths: files.map(\.relativePath)) }
            let problems = folder.problems.map(\.description) + result.skipped.map { "\($0.file): \($0.reason)" }
            for line in problems { observer.warn("skipped \(line)") }
            let ignored = IgnoredEntries.report([(nil, folder)], to: observer)
            // The folder's own problems count as skipped files too (exit 3).
            let skipped = folder.problems.map { SkippedFile(folder: folder.root.lastPathComponent, file: $0.path, reason: $0.reason) } + result.skipped
            if let shared {
                let share = shard == .whole ? "" : " (shard \(shard) of the folder's \(folder.files.count) files)"
                observer.say("stored \(result.covers.count) embeddings (\(model.backbone.embeddingDimension)-d, \(model.architecture))\(share) in "
                            + (collection.map { "collection \($0) at " } ?? "") + shared.location.redacted
                            + (problems.isEmpty ? "" : "; \(problems.count) files skipped"))
            }
            // A shard of a collection may hold no files at all; a file of embeddings must not be empty.
            guard let url, let out else {
                return RunDocument(command: "embed", fields: ["store": shared?.location.redacted ?? "", "embeddings": result.covers.count,
                                                              "collection": collection ?? "", "shard": shard.description,
                                                              "dimension": model.backbone.embeddingDimension, "architecture": model.architecture,
                                                              "ignored": ignored],
                                   skipped: skipped)
            }
            guard !result.covers.isEmpty else {
                throw ScoreRequest.RequestError.noCovers(role: "input", path: dir, problems: problems.count)
            }
            let embeddings = EmbeddingFile(files: result.covers.map(\.file), embeddings: result.covers.map(\.embedding),
                                           model: model)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try embeddings.write(to: url)
            observer.say("wrote \(result.covers.count) embeddings (\(model.backbone.embeddingDimension)-d, \(model.architecture)) to \(out)"
                        + (problems.isEmpty ? "" : "; \(problems.count) files skipped")
                        + IgnoredEntries.summary(ignored))
            return RunDocument(command: "embed", fields: ["output": url.path, "embeddings": result.covers.count,
                                                          "dimension": model.backbone.embeddingDimension, "architecture": model.architecture,
                                                          "ignored": ignored],
                               skipped: skipped)
        }
    }
}
