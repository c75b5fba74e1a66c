import Foundation

/// The report's words in one language, read from `Templates/locales/<lang>.json`.
///
/// Keys are nested JSON objects ("section" → "summary") so templates can say `{{t.section.summary}}`;
/// Swift code asks for "section.summary". Placeholders are `{name}` and are filled in Swift, so a
/// translation may reorder them as its grammar needs. A key missing from a translation falls back to
/// English rather than leaving a hole in the page.
public struct ReportStrings: Sendable {
    public let language: ReportLanguage
    private let flat: [String: String]
    private let fallback: [String: String]

    public init(language: ReportLanguage, templates: URL) throws {
        self.language = language
        self.flat = try Self.load(templates.appendingPathComponent("locales/\(language.rawValue).json"))
        self.fallback = language == .en ? [:] : (try? Self.load(templates.appendingPathComponent("locales/en.json"))) ?? [:]
    }

    /// The string for a dotted key with `{name}` placeholders replaced; the key itself when missing
    /// everywhere (visible in review, never a crash).
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        var s = flat[key] ?? fallback[key] ?? key
        for (name, value) in values { s = s.replacingOccurrences(of: "{\(name)}", with: value) }
        return s
    }

    /// The translation of an open-ended name (a feature, a metric) under `group`, else the name itself.
    public func name(_ group: String, _ raw: String) -> String {
        flat["\(group).\(raw)"] ?? fallback["\(group).\(raw)"] ?? raw
    }

    public func has(_ key: String) -> Bool { flat[key] != nil }

    /// The strings nested again by their dotted keys, English filling any gap, for `{{t.a.b}}` in templates.
    var templateTree: [String: Any] {
        var tree: [String: Any] = [:]
        func insert(_ path: ArraySlice<Substring>, _ value: String, into node: inout [String: Any]) {
            guard let head = path.first.map(String.init) else { return }
            if path.count == 1 {
                node[head] = value
            } else {
                var child = node[head] as? [String: Any] ?? [:]
                insert(path.dropFirst(), value, into: &child)
                node[head] = child
            }
        }
        for (key, value) in fallback.merging(flat, uniquingKeysWith: { $1 }) {
            insert(key.split(separator: ".")[...], value, into: &tree)
        }
        return tree
    }

    /// Every dotted key of this language (tests check translations are complete).
    public var keys: Set<String> { Set(flat.keys) }

    private static func load(_ url: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError.unreadableLocale(path: url.path, reason: "cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ReportError.unreadableLocale(path: url.path, reason: "not a JSON object")
        }
        var flat: [String: String] = [:]
        func walk(_ object: [String: Any], prefix: String) throws {
            for (key, value) in object {
                if let s = value as? String {
                    flat[prefix + key] = s
                } else if let nested = value as? [String: Any] {
                    try walk(nested, prefix: prefix + key + ".")
                } else {
                    throw ReportError.unreadableLocale(path: url.path, reason: "\(prefix + key) is neither a string nor an object")
                }
            }
        }
        try walk(object, prefix: "")
        return flat
    }
}
