import Foundation
import Imaging
import Rendering
import Testing

@Suite struct PDFTests {
    private func temporaryPDF() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString).pdf")
    }

    /// Page objects in the file (cairo writes page dictionaries uncompressed).
    private func pageCount(_ pdf: Data) -> Int {
        let text = String(decoding: pdf, as: UTF8.self)
        return text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
    }

    @Test func figuresPlacedOnPagesMakeAMultiPagePDF() throws {
        let url = temporaryPDF()
        defer { try? FileManager.default.removeItem(at: url) }
        let a4 = Size(width: 595, height: 842)
        let canvas = try Canvas(pdfSize: a4)
        SampleFigures.heatmap.draw(on: canvas, in: Rect(x: 40, y: 40, width: 515, height: 400))
        canvas.nextPage()
        SampleFigures.trainingCurves.draw(on: canvas, in: Rect(x: 40, y: 40, width: 515, height: 300))
        try canvas.writePDF(to: url)
        let pdf = try Data(contentsOf: url)
        #expect(pdf.starts(with: Data("%PDF-".utf8)), "not a PDF")
        #expect(pageCount(pdf) == 2, "expected 2 pages, found \(pageCount(pdf))")
    }

    @Test func largeCoversAreNotEmbeddedAtFullResolution() throws {
        // 1200×1800 noise (≈ 6.5 MB of incompressible pixels) shown in 60×90-point tiles.
        var state: UInt32 = 12345
        var pixels = [UInt8](repeating: 0, count: 1200 * 1800 * 3)
        for i in pixels.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            pixels[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        let noise = RGBImage(width: 1200, height: 1800, pixels: pixels)
        let grid = ImageGrid(items: [CaptionedImage(image: noise, caption: "noise")], tileSize: Size(width: 60, height: 90), labels: .english)
        let url = temporaryPDF()
        defer { try? FileManager.default.removeItem(at: url) }
        try grid.writePDF(to: url)
        let bytes = try Data(contentsOf: url).count
        #expect(bytes < 1_000_000, "PDF is \(bytes) bytes; the cover should be embedded at about 200 dpi of its tile")
    }

    /// The same cover in many tiles (a popular cover that is many candidates' nearest match) is
    /// embedded once: ten tiles of one noise image cost little more than one tile, while ten
    /// different noise images cost about ten times as much.
    @Test func anImageDrawnManyTimesIsEmbeddedOnce() throws {
        func noise(seed: UInt32) -> RGBImage {
            var state = seed
            var pixels = [UInt8](repeating: 0, count: 120 * 180 * 3)
            for i in pixels.indices {
                state = state &* 1_664_525 &+ 1_013_904_223
                pixels[i] = UInt8(truncatingIfNeeded: state >> 24)
            }
            return RGBImage(width: 120, height: 180, pixels: pixels)
        }
        func pdfBytes(_ images: [RGBImage]) throws -> Int {
            let canvas = try Canvas(pdfSize: Size(width: 595, height: 842))
            for (i, image) in images.enumerated() {
                canvas.drawImage(image, in: Rect(x: Double(i % 5) * 100 + 40, y: Double(i / 5) * 150 + 40, width: 60, height: 90))
            }
            let url = temporaryPDF()
            defer { try? FileManager.default.removeItem(at: url) }
            try canvas.writePDF(to: url)
            return try Data(contentsOf: url).count
        }
        let one = try pdfBytes([noise(seed: 1)])
        let sameTenTimes = try pdfBytes(Array(repeating: noise(seed: 1), count: 10))
        let tenDifferent = try pdfBytes((1...10).map { noise(seed: UInt32($0)) })
        #expect(sameTenTimes < one * 3 / 2, "one image: \(one) bytes; the same image in ten tiles: \(sameTenTimes)")
        #expect(tenDifferent > one * 5, "ten different images: \(tenDifferent) bytes against \(one) for one; the check cannot tell copies apart")
    }
}
