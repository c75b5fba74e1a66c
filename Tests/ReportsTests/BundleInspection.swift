import Foundation
import Support

/// Reads what a written bundle contains: the HTML's references, the PDF through poppler's tools.
enum BundleInspection {
    /// Every `src`, `href` and `srcset` URL in `html` (srcset candidates without their descriptors).
    static func references(in html: String) -> [String] {
        var found: [String] = []
        let pattern = #"\b(src|href|srcset)\s*=\s*"([^"]*)""#
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(html.startIndex..., in: html)
        for match in regex.matches(in: html, range: range) {
            guard let kind = Range(match.range(at: 1), in: html), let value = Range(match.range(at: 2), in: html) else { continue }
            let text = String(html[value])
            if html[kind] == "srcset" {
                found += text.split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
            } else {
                found.append(text)
            }
        }
        return found
    }

    /// Every regular file under `folder` as it is on disk, as sorted paths relative to it.
    static func filesOnDisk(_ folder: URL) -> [String] {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [String] = []
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            files.append(path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path)
        }
        return files.sorted()
    }

    /// Output of a command-line tool, or nil if it is missing or failed.
    static func run(_ tool: String, _ arguments: [String]) -> String? {
        guard let (ended, data) = try? ChildProcess.output(of: "/usr/bin/env", [tool] + arguments),
              ended == .success else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func pdfPageCount(_ url: URL) -> Int? {
        guard let info = run("pdfinfo", [url.path]) else { return nil }
        for line in info.split(separator: "\n") where line.hasPrefix("Pages:") {
            return Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    static func pdfPageSize(_ url: URL) -> String? {
        guard let info = run("pdfinfo", [url.path]) else { return nil }
        return info.split(separator: "\n").first { $0.hasPrefix("Page size:") }.map(String.init)
    }

    static func pdfText(_ url: URL) -> String? { run("pdftotext", ["-enc", "UTF-8", url.path, "-"]) }
}
