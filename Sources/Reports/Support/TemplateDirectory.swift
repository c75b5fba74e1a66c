import Foundation

/// Finds the `Templates/` folder at run time, so a built binary works from the project folder, from
/// `.build/release/` and from an installed copy with `Templates/` beside it.
public enum TemplateDirectory {
    /// The first `Templates/` holding `locales/en.json` in the ancestors of `executable` (symlinks
    /// resolved), then in `currentDirectory` and its ancestors.
    public static func locate(executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ""),
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> URL {
        var searched: [String] = []
        let binary = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [binary, currentDirectory.standardizedFileURL] {
            var folder = start
            while true {
                let candidate = folder.appendingPathComponent("Templates")
                searched.append(candidate.path)
                if isTemplateFolder(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw ReportError.templatesNotFound(searched: searched)
    }

    static func isTemplateFolder(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("locales/en.json").path)
    }
}
