import Foundation

/// One row of `manifest.csv`: which file, which class and style, and the seed that redraws it
/// (`CoverGenerator().render(seed:style:coverClass:)`).
public struct SynthManifestRow: Sendable, Equatable {
    /// Path relative to the set's folder, e.g. `popular/cover-001.jpg` or `candidates/신작 표지 1.jpg`.
    public let file: String
    public let coverClass: CoverClass
    public let style: CoverStyle
    public let seed: UInt64

    public init(file: String, coverClass: CoverClass, style: CoverStyle, seed: UInt64) {
        self.file = file
        self.coverClass = coverClass
        self.style = style
        self.seed = seed
    }

    public static let csvHeader = "file,class,style,seed"

    /// RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled.
    public var csvLine: String {
        [file, coverClass.rawValue, style.rawValue, String(seed)].map(Self.quoted).joined(separator: ",")
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The whole manifest file.
    public static func csv(_ rows: [SynthManifestRow]) -> String {
        ([csvHeader] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
    }
}
