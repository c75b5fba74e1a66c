import CoverAnalysis
import Foundation
import Imaging

/// Where CoverLens finds what it ships with when no flag names it: the default model (the
/// EfficientNet-Lite0 weights that scripts/setup.sh converts), the bundled Examples/, the cache.
public struct DefaultPaths: Sendable {
    /// The running binary (`CommandLine.arguments[0]`); its ancestors are searched first.
    public var executable: URL
    public var currentDirectory: URL

    public init(executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ""),
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.executable = executable
        self.currentDirectory = currentDirectory
    }

    /// The default model's file name inside `models`.
    public static let modelFileName = "efficientnet-lite0.safetensors"

    /// The repository (or install) folder's `Models/`: the binary's ancestors (up to six levels,
    /// symlinks resolved) are searched for a `Models/` holding the default model, then the current
    /// folder's `Models/` is used, so the tool works from a checkout and from anywhere after setup.
    public var models: URL {
        let fm = FileManager.default
        var url = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("Models")
            if fm.fileExists(atPath: candidate.appendingPathComponent(Self.modelFileName).path) { return candidate }
            url.deleteLastPathComponent()
        }
        return currentDirectory.appendingPathComponent("Models")
    }

    /// The default model file.
    public var model: URL { models.appendingPathComponent(Self.modelFileName) }

    /// The bundled Examples/ folder: beside the repository's Models/, else in the current folder.
    public func examples() throws -> URL {
        let fm = FileManager.default
        for base in [models.deletingLastPathComponent(), currentDirectory] {
            let candidate = base.appendingPathComponent("Examples")
            if fm.fileExists(atPath: candidate.appendingPathComponent("popular").path) { return candidate }
        }
        throw ImageFolder.FolderError.missing("Examples (run the demo from the repository root, or pass --examples DIR)")
    }

    /// The embedding cache when --cache is not given: `$XDG_CACHE_HOME/coverlens/embeddings.sqlite`,
    /// else `~/.cache/coverlens/embeddings.sqlite` (the XDG base-directory rule), so one cache serves
    /// every folder the tool is run from; without either variable, `Output/.cache/` in the current folder.
    public static func store(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else if let home = environment["HOME"], !home.isEmpty {
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache")
        } else {
            return URL(fileURLWithPath: "Output/.cache/embeddings.sqlite")
        }
        return base.appendingPathComponent("coverlens").appendingPathComponent("embeddings.sqlite")
    }
}
