import ArgumentParser
import Reports

/// The `--format` list of `score` and `report`: html and pdf are pages; json and csv are always
/// written, and accepted so one list works for both commands.
enum FormatList {
    static func pages(_ text: String, requirePage: Bool) throws -> Set<ReportFormat> {
        var formats: Set<ReportFormat> = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
            if part == "json" || part == "csv" { continue }
            guard let format = ReportFormat(rawValue: part) else {
                throw ValidationError("--format takes html, pdf, json and csv (comma-separated), got \(part)")
            }
            formats.insert(format)
        }
        if requirePage && formats.isEmpty { throw ValidationError("--format must include html or pdf") }
        return formats
    }
}
