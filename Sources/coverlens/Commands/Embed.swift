import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Runs
import Support

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

            Examples:
              coverlens embed Examples/popular --out Output/popular.safetensors
              coverlens embed Examples/popular --out Output/popular.csv --json --quiet

            \(ExitStatus.help)
            """)

    @Argument(help: "Folder of covers (searched recursively).")
    var dir: String

    @Option(name: .long, help: ArgumentHelp("Output file: .safetensors or .csv.", valueName: "FILE"))
    var out: String

    @Option(name: .long, help: "Resize mode: stretch (whole cover to 224×224), crop (centre square), letterbox (pad). Default: the model's.")
    var geometry: Geometry?

    @Option(name: .long, help: "Images per network batch.")
    var batch: Int = 16

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ext == "safetensors" || ext == "csv" else {
            throw ValidationError("--out must end in .safetensors or .csv (got \(out))")
        }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let observer = TerminalObserver(outputOptions.mode)
        try ExitStatus.run(observer, command: "embed") {
            if let threads = modelOptions.threads { Parallelism.workers = max(1, threads) }
            let url = URL(fileURLWithPath: out)
            try OutputLocation.checkFile(url)
            var model = try modelOptions.load()
            observer.detail("model: \(modelOptions.url.path) (\(model.architecture), preprocessing \(model.preprocessing.summary))")
            if let geometry { model.preprocessing.geometry = geometry }
            let folder = try ImageFolder(URL(fileURLWithPath: dir), followSymlinks: inputOptions.followSymlinks)
            var scan = CoverScan(model: model, store: try cacheOptions.settings.open(observer))
            scan.batchSize = batch
            scan.limits = inputOptions.limits
            scan.onCutShort = { observer.warnCutShort($0) }
            let result = try scan.scan(folder.files, role: URL(fileURLWithPath: dir).lastPathComponent) { done, total in
                observer.progress("embedding", done: done, total: total)
            }
            let problems = folder.problems.map(\.description) + result.skipped.map { "\($0.file): \($0.reason)" }
            for line in problems { observer.warn("skipped \(line)") }
            let ignored = IgnoredEntries.report([(nil, folder)], to: observer)
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
            // The folder's own problems count as skipped files too (exit 3).
            let skipped = folder.problems.map { SkippedFile(folder: folder.root.lastPathComponent, file: $0.path, reason: $0.reason) } + result.skipped
            return RunDocument(command: "embed", fields: ["output": url.path, "embeddings": result.covers.count,
                                                          "dimension": model.backbone.embeddingDimension, "architecture": model.architecture,
                                                          "ignored": ignored],
                               skipped: skipped)
        }
    }
}
