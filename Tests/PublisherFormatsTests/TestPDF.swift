import Foundation
import Imaging
import Rendering

/// The cover as a print PDF: drawn with Cairo on a page with 9 pt of bleed and crop marks around
/// a 432×648 pt (6×9 inch) trim, then given a TrimBox and BleedBox afterwards, as InDesign marks
/// the cut (Cairo writes only a MediaBox).
enum TestPDF {
    static let trim = (width: 432.0, height: 648.0)
    static let margin = 36.0   // bleed (9 pt) plus room for crop marks

    static func write(_ cover: RGBImage, to url: URL, trimBox: Bool = true) throws {
        let page = Size(width: trim.width + 2 * margin, height: trim.height + 2 * margin)
        let canvas = try Canvas(pdfSize: page)
        canvas.fill(Rect(x: 0, y: 0, width: page.width, height: page.height), Colour(red: 1, green: 1, blue: 1))
        // Bleed: the design's edge colour carried 9 pt past the trim, as a printer asks.
        let edge = cover[0, 0]
        canvas.fill(Rect(x: margin - 9, y: margin - 9, width: trim.width + 18, height: trim.height + 18),
                    Colour(red8: edge.r, green8: edge.g, blue8: edge.b))
        // Unsmoothed, so Cairo embeds the pixels losslessly (a smoothed image is embedded as a
        // quality-82 JPEG, which is not the same cover).
        canvas.drawImage(cover, stretchedTo: Rect(x: margin, y: margin, width: trim.width, height: trim.height), smooth: false)
        let black = Colour(red: 0, green: 0, blue: 0)
        for x in [margin, margin + trim.width] {
            canvas.line(from: Point(x: x, y: 0), to: Point(x: x, y: margin - 12), black, width: 0.5)
            canvas.line(from: Point(x: x, y: page.height - margin + 12), to: Point(x: x, y: page.height), black, width: 0.5)
        }
        try canvas.writePDF(to: url)
        guard trimBox else { return }
        // PDF y runs up from the bottom; the page is symmetric, so the boxes are margin-inset.
        let t = [margin, margin, margin + trim.width, margin + trim.height].map { String(format: "%.0f", $0) }
        let b = [margin - 9, margin - 9, margin + trim.width + 9, margin + trim.height + 9].map { String(format: "%.0f", $0) }
        try addBoxes(" /TrimBox [ \(t.joined(separator: " ")) ] /BleedBox [ \(b.joined(separator: " ")) ]", to: url)
    }

    /// Inserts `entries` into the page dictionary after its MediaBox and rewrites the
    /// cross-reference table, whose byte offsets move by the inserted length.
    static func addBoxes(_ entries: String, to url: URL) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        func find(_ text: String, from: Int = 0, last: Bool = false) -> Int? {
            let needle = Array(text.utf8)
            guard bytes.count >= needle.count else { return nil }
            let starts = Array(from ... bytes.count - needle.count)
            return (last ? starts.reversed() : starts).first { Array(bytes[$0 ..< $0 + needle.count]) == needle }
        }
        guard let media = find("/MediaBox ["), let close = find("]", from: media) else { throw Failure(message: "no MediaBox") }
        let insertAt = close + 1
        let inserted = Array(entries.utf8)
        bytes.insert(contentsOf: inserted, at: insertAt)
        guard let xref = find("\nxref\n", last: true), let trailer = find("trailer", from: xref),
              let startxref = find("startxref\n", from: trailer) else { throw Failure(message: "no xref table") }
        // "0000012345 00000 n " entries past the insertion point move; so does startxref.
        let table = String(decoding: bytes[xref ..< trailer], as: UTF8.self).components(separatedBy: "\n").map { line -> String in
            guard line.count >= 18, line.contains(" n"), let offset = Int(line.prefix(10)), offset > insertAt else { return line }
            return String(format: "%010d", offset + inserted.count) + line.dropFirst(10)
        }.joined(separator: "\n")
        let numberStart = startxref + "startxref\n".utf8.count
        var numberEnd = numberStart
        while numberEnd < bytes.count, (0x30 ... 0x39).contains(bytes[numberEnd]) { numberEnd += 1 }
        guard let old = Int(String(decoding: bytes[numberStart ..< numberEnd], as: UTF8.self)) else { throw Failure(message: "no startxref") }
        bytes.replaceSubrange(numberStart ..< numberEnd, with: Array(String(old + inserted.count).utf8))
        bytes.replaceSubrange(xref ..< trailer, with: Array(table.utf8))
        try Data(bytes).write(to: url)
    }

    struct Failure: Error { var message: String }
}
