/// The first page of a PDF as `pdfinfo -box` describes it: what `inspect` shows and what
/// ``PDFDecoder`` cuts to.
public struct PDFPage: Equatable, Sendable {
    /// A rectangle in PDF points (1/72 inch), `x0 y0 x1 y1` with y up, as the file states it.
    public struct Box: Equatable, Sendable {
        public var x0, y0, x1, y1: Double
        public var width: Double { x1 - x0 }
        public var height: Double { y1 - y0 }
        /// "432×648 pt (6×9 in)".
        public var sizeText: String {
            "\(Self.number(width))×\(Self.number(height)) pt (\(Self.number(width / 72))×\(Self.number(height / 72)) in)"
        }
        static func number(_ value: Double) -> String {
            let text = String(format: "%.2f", value)
            return text.hasSuffix(".00") ? String(text.dropLast(3)) : text.hasSuffix("0") ? String(text.dropLast()) : text
        }
    }

    public var pageCount: Int
    /// Page rotation in degrees (0, 90, 180, 270).
    public var rotation: Int
    /// MediaBox, CropBox, BleedBox, TrimBox, ArtBox (poppler fills a missing box from the one it defaults to).
    public var boxes: [String: Box]

    public var mediaBox: Box? { boxes["MediaBox"] }
    public var trimBox: Box? { boxes["TrimBox"] }
    /// True when the TrimBox differs from the CropBox, i.e. the file marks a cut inside the page.
    public var hasTrim: Bool { trimBox != nil && trimBox != boxes["CropBox"] }

    /// Parses `pdfinfo -box -f 1 -l 1` output ("Pages:", "Page    1 rot:", "Page    1 TrimBox: …").
    static func parse(pdfinfo text: String) -> PDFPage? {
        var pages = 0, rotation = 0
        var boxes: [String: Box] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let key = parts[0], value = parts[1]
            if key == "Pages" { pages = Int(value) ?? 0; continue }
            guard key.hasPrefix("Page") else { continue }
            let name = key.split(separator: " ").last.map(String.init) ?? ""
            // pdfinfo prints an integer; Int(exactly:) refuses what does not fit rather than trap.
            if name == "rot" { rotation = Int(value) ?? Int(exactly: (Double(value) ?? 0).rounded()) ?? 0; continue }
            guard name.hasSuffix("Box") else { continue }
            let numbers = value.split(separator: " ").compactMap { Double($0) }
            guard numbers.count == 4, numbers.allSatisfy(\.isFinite) else { continue }
            boxes[name] = Box(x0: min(numbers[0], numbers[2]), y0: min(numbers[1], numbers[3]),
                              x1: max(numbers[0], numbers[2]), y1: max(numbers[1], numbers[3]))
        }
        guard pages > 0, let media = boxes["MediaBox"], media.width > 0, media.height > 0 else { return nil }
        return PDFPage(pageCount: pages, rotation: ((rotation % 360) + 360) % 360, boxes: boxes)
    }
}
