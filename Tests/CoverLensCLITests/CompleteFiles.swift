import Foundation

/// Checks that every file in a folder a killed run wrote to is whole: each known kind by its own
/// end marker (a torn write cuts the end off), anything else at least non-empty. CoverLens's
/// hidden temporary files (`.name.<uuid>.tmp`, `.name.tmp-…`) may be torn by design; they are
/// listed separately so a caller can require that a finished rerun cleared them.
enum CompleteFiles {
    struct Report {
        var problems: [String] = []
        var leftovers: [String] = []
        var checked = 0
    }

    static func check(_ folder: URL) -> Report {
        var report = Report()
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return report }
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let name = url.lastPathComponent
            let relative = String(url.path.dropFirst(folder.path.count + 1))
            if name.hasPrefix("."), name.hasSuffix(".tmp") || name.contains(".tmp-") || name.contains(".old-") {
                report.leftovers.append(relative)
                continue
            }
            if name.hasSuffix("-wal") || name.hasSuffix("-shm") || name.hasPrefix(".cli-") || name.hasPrefix(".kill-") { continue }
            report.checked += 1
            if let problem = problem(in: (try? Data(contentsOf: url)) ?? Data(), kind: url.pathExtension.lowercased()) {
                report.problems.append("\(relative): \(problem)")
            }
        }
        return report
    }

    /// Why `data` is not a whole file of `kind`, or nil.
    static func problem(in data: Data, kind: String) -> String? {
        let bytes = [UInt8](data)
        // SQLite creates its file empty and writes the header with the first transaction: a run
        // killed in between leaves an empty database, which SQLite opens as such.
        guard !bytes.isEmpty else { return kind == "sqlite" ? nil : "empty" }
        let tail = String(decoding: bytes.suffix(1024), as: UTF8.self)
        switch kind {
        case "safetensors": return TrainKillTests.isCompleteSafetensors(data) ? nil : "not a complete safetensors file"
        case "json": return (try? JSONSerialization.jsonObject(with: data)) == nil ? "does not parse" : nil
        case "csv": return bytes.last == 0x0A ? nil : "does not end with a newline"
        case "html": return tail.contains("</html>") ? nil : "has no </html>"
        case "pdf": return bytes.starts(with: Array("%PDF-".utf8)) && tail.contains("%%EOF") ? nil : "no %PDF- header or %%EOF"
        case "png": return bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.suffix(8).starts(with: Array("IEND".utf8)) ? nil : "no PNG signature or IEND"
        case "jpg", "jpeg": return bytes.starts(with: [0xFF, 0xD8]) && bytes.suffix(2) == [0xFF, 0xD9] ? nil : "no JPEG start or end marker"
        case "zip":
            return bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && contains(bytes.suffix(64), [0x50, 0x4B, 0x05, 0x06]) ? nil : "not a complete zip"
        case "sqlite": return bytes.starts(with: Array("SQLite format 3\0".utf8)) ? nil : "not an SQLite database"
        default: return nil
        }
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        let h = Array(haystack)
        guard h.count >= needle.count else { return false }
        return (0...(h.count - needle.count)).contains { Array(h[$0..<($0 + needle.count)]) == needle }
    }
}
