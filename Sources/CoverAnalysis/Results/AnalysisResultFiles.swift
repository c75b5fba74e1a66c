import Foundation
import Support

/// `results.json` and `results.csv`: how an `AnalysisResult` is written and read back.
extension AnalysisResult {
    public enum FileError: Error, CustomStringConvertible {
        case missing(path: String)
        case unreadable(path: String, reason: String)
        case unknownVersion(path: String, version: Int)

        public var description: String {
            switch self {
            case .missing(let p): "\(p): no such file; pass the results.json that `coverlens score` wrote into its report folder"
            case .unreadable(let p, let r): "\(p): not a CoverLens results file (\(r)); pass the results.json that `coverlens score` wrote"
            case .unknownVersion(let p, let v) where v > AnalysisResult.currentSchemaVersion:
                "\(p): results schema version \(v) was written by a newer CoverLens (this one reads versions \(AnalysisResult.oldestReadableSchemaVersion) to \(AnalysisResult.currentSchemaVersion)); update CoverLens, or score again with this version"
            case .unknownVersion(let p, let v):
                "\(p): results schema version \(v) is not one CoverLens ever wrote (this one reads versions \(AnalysisResult.oldestReadableSchemaVersion) to \(AnalysisResult.currentSchemaVersion)); score again with this version"
            }
        }
    }

    /// Pretty, key-sorted JSON: stable bytes for the same result.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads any schema version from `oldestReadableSchemaVersion` on, upgraded to the current one
    /// (see `AnalysisResultUpgrade.swift`); newer or unknown versions are refused by name.
    public static func read(from url: URL) throws -> AnalysisResult {
        let data: Data
        guard FileManager.default.fileExists(atPath: url.path) else { throw FileError.missing(path: url.path) }
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: url.path, reason: "cannot be read")
        }
        struct Version: Decodable { var schemaVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw FileError.unreadable(path: url.path, reason: "no schemaVersion field")
        }
        guard (oldestReadableSchemaVersion...currentSchemaVersion).contains(version.schemaVersion) else {
            throw FileError.unknownVersion(path: url.path, version: version.schemaVersion)
        }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let result = try decoder.decode(AnalysisResult.self, from: data)
            return version.schemaVersion == 1 ? result.upgradedFromVersion1() : result
        } catch {
            throw FileError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// One row per candidate: file, popularity, percentiles, near-duplicate, top matches, features.
    public func csv() -> String {
        let featureNames = Array(Set(candidates.flatMap { $0.features.keys })).sorted()
        var header = ["file", "popularity", "percentile_among_popular", "percentile_among_other", "near_duplicate", "style_cluster"]
        for i in 1...max(settings.topK, 1) { header += ["match\(i)", "match\(i)_cosine"] }
        header += featureNames
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for c in candidates {
            var row = [c.file, Self.number(c.popularity), Self.number(c.percentileAmongPopular),
                       c.percentileAmongOther.map(Self.number) ?? "", c.nearDuplicate ? "true" : "false",
                       c.styleCluster.map(String.init) ?? ""]
            for i in 0..<max(settings.topK, 1) {
                row += i < c.matches.count ? [c.matches[i].file, Self.number(c.matches[i].cosine)] : ["", ""]
            }
            row += featureNames.map { c.features[$0].map(Self.number) ?? "" }
            lines.append(row.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `results.json` and `results.csv` into `folder`, each atomically.
    public func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(try jsonData(), to: folder.appendingPathComponent("results.json"))
        try AtomicFile.write(Data(csv().utf8), to: folder.appendingPathComponent("results.csv"))
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : ""
    }

    /// RFC 4180 quoting; a leading =,+,-,@ is prefixed with ' so spreadsheets don't run it as a formula.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
