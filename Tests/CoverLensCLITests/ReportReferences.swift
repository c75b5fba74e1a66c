import Foundation

/// Every file a report bundle's HTML points at, and whether each one is really inside the bundle.
///
/// A bundle is sent on as a folder or a zip and opened offline, so every reference the page makes
/// (`src`, `href`, `srcset`, `poster`, `data`, CSS `url(…)` and `@import`, in the page, in inline
/// styles and in the style sheets it links) must name a file that exists inside the folder.
/// Absolute paths, `file:` and web URLs, and `..` paths that climb out all count as pointing outside.
/// `#fragment` links must name an `id` on the page.
struct ReportReferences {
    /// One reference as written, where it was found, and what it resolved to.
    struct Reference: CustomStringConvertible {
        let text: String
        let foundIn: String
        var description: String { "\"\(text)\" in \(foundIn)" }
    }

    let bundle: URL
    private(set) var references: [Reference] = []
    /// References that point outside the bundle, with the reason.
    private(set) var outside: [String] = []
    /// References to files inside the bundle that do not exist (or are empty, or are folders).
    private(set) var missing: [String] = []
    /// `#fragment` links with no matching `id`.
    private(set) var brokenAnchors: [String] = []
    /// The files that were found, relative to the bundle.
    private(set) var files: Set<String> = []

    /// Reads `page` (inside `bundle`) and every style sheet it references.
    init(bundle: URL, page: String = "index.html") throws {
        self.bundle = bundle.standardizedFileURL.resolvingSymlinksInPath()
        let pageURL = self.bundle.appendingPathComponent(page)
        let html = try String(contentsOf: pageURL, encoding: .utf8)
        let ids = Set(Self.captures(#"\bid\s*=\s*["']([^"']+)["']"#, in: html).map(Self.decodeEntities))
        var sheets: [URL] = []
        for text in Self.htmlReferences(html) {
            if let sheet = check(text, from: pageURL, ids: ids), sheet.pathExtension.lowercased() == "css" { sheets.append(sheet) }
        }
        var seen = Set<String>()
        while let sheet = sheets.popLast() {
            guard seen.insert(sheet.path).inserted, let css = try? String(contentsOf: sheet, encoding: .utf8) else { continue }
            for text in Self.cssReferences(css) {
                if let more = check(text, from: sheet, ids: nil), more.pathExtension.lowercased() == "css" { sheets.append(more) }
            }
        }
    }

    /// Records the reference; returns the file it names when that file exists inside the bundle.
    private mutating func check(_ raw: String, from file: URL, ids: Set<String>?) -> URL? {
        let foundIn = file.path.replacingOccurrences(of: bundle.path + "/", with: "")
        let reference = Reference(text: raw, foundIn: foundIn)
        references.append(reference)
        let text = Self.decodeEntities(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("#") {
            let anchor = String(text.dropFirst()).removingPercentEncoding ?? String(text.dropFirst())
            if let ids, !anchor.isEmpty, !ids.contains(anchor) { brokenAnchors.append("\(reference): no element has id \"\(anchor)\"") }
            return nil
        }
        if text.lowercased().hasPrefix("data:") { return nil }   // inline data carries its own bytes
        if text.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil || text.hasPrefix("/") {
            outside.append("\(reference): an absolute URL or path, not a file in the bundle")
            return nil
        }
        let path = Self.stripped(text)
        guard !path.isEmpty else { return nil }
        guard let decoded = path.removingPercentEncoding else {
            missing.append("\(reference): malformed percent-encoding")
            return nil
        }
        let target = file.deletingLastPathComponent().appendingPathComponent(decoded).standardizedFileURL
        let resolved = target.resolvingSymlinksInPath()
        guard resolved.path.hasPrefix(bundle.path + "/") else {
            outside.append("\(reference): resolves to \(resolved.path), outside \(bundle.path)")
            return nil
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isFolder), !isFolder.boolValue else {
            missing.append("\(reference): \(resolved.path) does not exist")
            return nil
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: resolved.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else {
            missing.append("\(reference): \(resolved.path) is empty")
            return nil
        }
        files.insert(String(resolved.path.dropFirst(bundle.path.count + 1)))
        return resolved
    }

    // MARK: Parsing

    /// Attribute values that name another resource; `srcset` lists several, each "URL [descriptor]".
    static func htmlReferences(_ html: String) -> [String] {
        let attributes = #"\b(?:src|href|poster|data|action|formaction|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#
        var found = captures(attributes, in: html)
        for list in captures(#"\b(?:srcset|imagesrcset)\s*=\s*(?:"([^"]*)"|'([^']*)')"#, in: html) {
            for candidate in list.split(separator: ",") {
                if let url = candidate.split(whereSeparator: \.isWhitespace).first { found.append(String(url)) }
            }
        }
        for style in captures(#"<style[^>]*>([\s\S]*?)</style>"#, in: html) + captures(#"\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')"#, in: html) {
            found += cssReferences(decodeEntities(style))
        }
        return found
    }

    /// `url(…)` and `@import "…"` in a style sheet.
    static func cssReferences(_ css: String) -> [String] {
        captures(#"url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"#, in: css)
            + captures(#"@import\s+(?:"([^"]*)"|'([^']*)')"#, in: css)
    }

    /// The first non-nil capture group of every match.
    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            (1..<match.numberOfRanges).lazy.map { match.range(at: $0) }.first { $0.location != NSNotFound }.map { ns.substring(with: $0) }
        }
    }

    /// The path part of a relative URL: no `?query`, no `#fragment`.
    static func stripped(_ text: String) -> String {
        String(text.prefix { $0 != "?" && $0 != "#" })
    }

    /// HTML character references (named ones the templates use, decimal and hexadecimal).
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (name, value) in [("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">")] {
            out = out.replacingOccurrences(of: name, with: value)
        }
        let numeric = try! NSRegularExpression(pattern: "&#(x[0-9A-Fa-f]+|[0-9]+);")
        for match in numeric.matches(in: out, range: NSRange(location: 0, length: (out as NSString).length)).reversed() {
            let ns = out as NSString
            let body = ns.substring(with: match.range(at: 1))
            let code = body.hasPrefix("x") || body.hasPrefix("X") ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
            if let code, let scalar = Unicode.Scalar(code) {
                out = ns.replacingCharacters(in: match.range, with: String(Character(scalar)))
            }
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}
