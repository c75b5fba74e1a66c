import Foundation

/// `manifest.csv` as `coverlens synth` writes it (`file,class,style,seed`, RFC 4180 quoting):
/// the style of every generated cover, by its path relative to the set.
struct SynthManifest {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let url: URL
    private var styles: [String: String] = [:]

    init(url: URL) throws {
        self.url = url
        let rows = Self.records(try String(contentsOf: url, encoding: .utf8))
        guard rows.first == ["file", "class", "style", "seed"] else {
            throw Problem(description: "\(url.path): unexpected header \(rows.first ?? [])")
        }
        for row in rows.dropFirst() where row.count == 4 { styles[row[0]] = row[2] }
    }

    func style(of file: String) throws -> String {
        guard let style = styles[file] else { throw Problem(description: "\(url.path) has no row for \(file)") }
        return style
    }

    /// Splits CSV text into records of fields: quoted fields may hold commas, doubled quotes and line breaks.
    static func records(_ text: String) -> [[String]] {
        let characters = Array(text)
        var records: [[String]] = [], fields: [String] = [], field = "", quoted = false, i = 0
        while i < characters.count {
            let c = characters[i]
            i += 1
            if quoted {
                if c != "\"" { field.append(c) } else if i < characters.count, characters[i] == "\"" { field.append(c); i += 1 } else { quoted = false }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                fields.append(field); records.append(fields); fields = []; field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}
