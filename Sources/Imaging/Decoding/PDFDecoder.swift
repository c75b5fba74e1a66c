import Foundation
import Support

/// PDF covers (InDesign and Affinity exports): the first page rasterised by Poppler's command-line
/// tools, cut to the TrimBox.
///
/// Poppler is GPL, so CoverLens runs `pdfinfo` and `pdftoppm` (Debian's poppler-utils) as child
/// processes instead of linking them; a hostile PDF can then at worst make a child fail or time
/// out, never crash CoverLens. What comes back is the size the pipeline needs — the trimmed
/// page's long side ``longSide`` pixels — not a print-resolution raster (a 6×9 inch cover at 300
/// dpi would be 4.9 megapixels to shrink to 224×224); the child renders ``supersampling`` times
/// finer and CoverLens averages that down over the TrimBox. Print exports keep CropBox = MediaBox
/// and mark the cut with the TrimBox; bleed and crop marks lie outside it, so that is what is kept.
enum PDFDecoder {
    /// Pixels along the trimmed page's longer side (covers from shops are 500–1500 px tall).
    static let longSide = 1024.0
    /// The page is rendered this many times finer than ``longSide`` and averaged down over the
    /// TrimBox's exact position (``resampleArea``). Rendered directly, Poppler puts a placed image on
    /// whole pixels and drops or doubles a column where its scale is not 1: a generated cover placed
    /// at the output size came back at embedding cosine 0.9957 to the original (issue 21 asks
    /// 0.999). Rendered finer and averaged it gave 0.9979 at 3.5×, 0.99988 at 4× and 0.99959 at 5×
    /// (averaged in numpy, embedded by CoverLens, 2026-12-03); `PublisherFormatsTests` holds 4× to
    /// 0.999. A 6×9 inch page renders at 2731×4096 in the child (0.7 s and 88 MB there, measured
    /// with /usr/bin/time); CoverLens keeps 683×1024.
    static let supersampling = 4
    /// How long one Poppler tool may take before the file is given up as hostile or broken.
    static let timeLimit: TimeInterval = 30

    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("coverlens-pdf-\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data(bytes).write(to: folder.appendingPathComponent("in.pdf"))
        } catch {
            throw .unreadable(path: path, reason: "cannot write a temporary copy for Poppler: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.pdf").path

        let info: String
        do {
            info = try run("pdfinfo", ["-box", "-f", "1", "-l", "1", input], path: path, in: folder)
        } catch {
            // A PDF cut short loses its trailer first; say so rather than quote Poppler's syntax error.
            if case .corrupt = error, !hasEndMarker(bytes) { throw .truncated(path: path) }
            throw error
        }
        return try rasterise(pdfinfo: info, endMarker: hasEndMarker(bytes), path: path, limits: limits, longSide: longSide) { render throws(DecodeError) in
            _ = try run("pdftoppm", render.arguments + [input, folder.appendingPathComponent("page").path], path: path, in: folder)
            return FileManager.default.contents(atPath: folder.appendingPathComponent("page.ppm").path).map { [UInt8]($0) }
        }
    }

    /// The in-process half of ``decode``: reads `pdfinfo`'s output, works out the render
    /// (``Render``), asks `pdftoppm` for it (`render` returns the PPM it wrote, or nil) and averages
    /// that down over the TrimBox to `longSide` pixels along its longer side. Nothing in the tools'
    /// output is trusted: a hostile PDF decides the boxes and numbers pdfinfo prints.
    /// `endMarker` tells a PDF cut short (no `%%EOF`) apart. Fuzzed by Fuzz/Sources/FuzzPDFOutput.
    static func rasterise(pdfinfo info: String, endMarker: Bool, path: String, limits: DecodeLimits, longSide: Double,
                          render: (Render) throws(DecodeError) -> [UInt8]?) throws(DecodeError) -> FormatDecode {
        guard let page = PDFPage.parse(pdfinfo: info), let media = page.mediaBox else {
            if !endMarker { throw .truncated(path: path) }
            throw .corrupt(path: path, detail: "pdfinfo found no page in it")
        }
        var warnings: [String] = []
        if page.pageCount > 1 { warnings.append("\(page.pageCount) pages: only the first is used") }
        // The area kept, in points: the TrimBox (inside the MediaBox) unless the page is rotated.
        var area = page.trimBox ?? media
        if page.rotation != 0 {
            warnings.append("the page is rotated \(page.rotation)°: the whole MediaBox is used, not the TrimBox")
            area = media
        }
        area = PDFPage.Box(x0: max(area.x0, media.x0), y0: max(area.y0, media.y0),
                           x1: min(area.x1, media.x1), y1: min(area.y1, media.y1))
        guard area.width >= 1, area.height >= 1 else {
            throw .corrupt(path: path, detail: "the TrimBox lies outside the page")
        }
        let plan = try Render(area: area, media: media, longSide: longSide, path: path, limits: limits)
        guard let ppm = try render(plan), let rendered = parsePPM(ppm) else {
            throw .corrupt(path: path, detail: "pdftoppm produced no image")
        }
        let image = resampleArea(rendered, x0: plan.left - Double(plan.x), y0: plan.top - Double(plan.y),
                                 x1: plan.right - Double(plan.x), y1: plan.bottom - Double(plan.y),
                                 width: plan.width, height: plan.height)
        return FormatDecode(image: image, colourModel: .rgb, bitDepth: 8,
                            variant: page.hasTrim && page.rotation == 0 ? "cut to TrimBox" : "whole page",
                            exif: nil, frameCount: page.pageCount, warnings: warnings, page: page)
    }

    /// What `pdftoppm` is asked for: the kept area rendered ``supersampling`` times finer than the
    /// output, as whole pixels around the area's exact (fractional) position.
    struct Render {
        /// Output size: `longSide` pixels along the area's longer side.
        var width: Int, height: Int
        /// Pixels per inch of the finer render.
        var resolution: Double
        /// The whole pixels rendered (pdftoppm's -x -y -W -H).
        var x: Int, y: Int, renderWidth: Int, renderHeight: Int
        /// The area kept, in pixels of the finer render.
        var left: Double, top: Double, right: Double, bottom: Double

        /// Render coordinates beyond this are refused: pdftoppm reads them as C ints, and a Swift
        /// `Int(_:)` of a larger or non-finite `Double` traps.
        static let coordinateLimit = Double(Int32.max)

        init(area: PDFPage.Box, media: PDFPage.Box, longSide: Double, path: String, limits: DecodeLimits) throws(DecodeError) {
            // Finite box numbers can still be ±1e308 apart (a MediaBox of -1e300 0 1e300 1 has an
            // infinite width): the file decides them, pdfinfo only prints them.
            let outOfRange = DecodeError.corrupt(path: path, detail: "the page's boxes are out of range (MediaBox \(media.x0) \(media.y0) \(media.x1) \(media.y1))")
            guard [area.width, area.height, media.width, media.height].allSatisfy(\.isFinite) else { throw outOfRange }
            let scale = longSide / max(area.width, area.height)   // output pixels per point
            width = max(1, Int((area.width * scale).rounded()))
            height = max(1, Int((area.height * scale).rounded()))
            if UInt64(width) * UInt64(height) > limits.maxPixels {
                throw .tooLarge(path: path, width: width, height: height, limitMegapixels: limits.maxMegapixels)
            }
            let fine = scale * Double(supersampling)
            resolution = fine * 72
            left = (area.x0 - media.x0) * fine
            top = (media.y1 - area.y1) * fine
            right = left + area.width * fine
            bottom = top + area.height * fine
            guard [left, top, right, bottom].allSatisfy({ $0.isFinite && abs($0) < Self.coordinateLimit }) else { throw outOfRange }
            x = Int(left.rounded(.down)); y = Int(top.rounded(.down))
            renderWidth = Int(right.rounded(.up)) - x; renderHeight = Int(bottom.rounded(.up)) - y
        }

        /// pdftoppm's options for this render (the input and output names follow).
        var arguments: [String] {
            ["-f", "1", "-l", "1", "-singlefile", "-r", String(format: "%.4f", resolution),
             "-x", "\(x)", "-y", "\(y)", "-W", "\(renderWidth)", "-H", "\(renderHeight)"]
        }
    }

    /// `%%EOF` near the end: a PDF cut short loses it.
    private static func hasEndMarker(_ bytes: [UInt8]) -> Bool {
        let tail = Array(bytes.suffix(1024))
        let marker = Array("%%EOF".utf8)
        guard tail.count >= marker.count else { return false }
        return (0 ... tail.count - marker.count).contains { Array(tail[$0 ..< $0 + marker.count]) == marker }
    }

    /// Runs a Poppler tool with ``timeLimit``; returns its standard output, throws with its first
    /// error line when it fails, times out or is missing.
    private static func run(_ tool: String, _ arguments: [String], path: String, in folder: URL) throws(DecodeError) -> String {
        guard let executable = ["/usr/bin", "/usr/local/bin", "/bin"].map({ "\($0)/\(tool)" })
            .first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw .unsupported(path: path, what: "a PDF document (\(tool) is missing: install poppler-utils, or run scripts/setup.sh)")
        }
        let output = folder.appendingPathComponent("\(tool).out"), errors = folder.appendingPathComponent("\(tool).err")
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: executable, arguments: arguments,
                                       standardOutput: .file(output.path), standardError: .file(errors.path))
        } catch {
            throw .unreadable(path: path, reason: "cannot run \(tool): \(error.reason)")
        }
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.send(SIGTERM)
            usleep(200_000)
            if process.isRunning { process.send(SIGKILL) }
            process.wait()
            throw .corrupt(path: path, detail: "\(tool) took over \(Int(timeLimit)) s on it (a hostile or broken PDF?)")
        }
        let ended = process.wait()
        let stdout = String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self)
        guard ended == .success else {
            let message = String(decoding: FileManager.default.contents(atPath: errors.path) ?? Data(), as: UTF8.self)
                .split(separator: "\n").first.map(String.init)
                ?? (ended.signalled ? "ended by signal \(ended.status)" : "exit status \(ended.status)")
            if message.contains("Incorrect password") || message.contains("encrypted") {
                throw .unsupported(path: path, what: "a password-protected PDF")
            }
            throw .corrupt(path: path, detail: "\(tool): \(message)")
        }
        return stdout
    }

    /// The largest side a PPM may declare: far above any render CoverLens asks for (about
    /// `longSide × supersampling`), and small enough that `width × height × 3` cannot overflow.
    static let ppmSideLimit = 1 << 20

    /// A binary PPM (`P6 width height 255`, then RGB rows) as pdftoppm writes it.
    static func parsePPM(_ bytes: [UInt8]) -> RGBImage? {
        var fields: [String] = []
        var index = 0
        while fields.count < 4 && index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            let start = index
            while index < bytes.count, !(bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) { index += 1 }
            fields.append(String(decoding: bytes[start ..< index], as: UTF8.self))
        }
        index += 1   // the single whitespace after maxval
        guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
              (1 ... ppmSideLimit).contains(width), (1 ... ppmSideLimit).contains(height),
              bytes.count - index >= width * height * 3 else { return nil }
        return RGBImage(width: width, height: height, pixels: Array(bytes[index ..< index + width * height * 3]))
    }
}
