import Foundation
import Imaging
import Rendering
import Support
import Testing
@testable import CoverSynth

/// Synthetic covers, figures and PDFs drawn on several threads at once come out whole, and the
/// bitmaps identical to the same drawings made alone. Before one process-wide lock (`FontStack`)
/// guarded Pango, Cairo and FreeType, the whole test suite failed now and then while the report,
/// figure and cover tests ran in parallel ("error occurred in libfreetype", once a crash in
/// libcairo). Run alone, this test did not reproduce the race in six runs without the lock; run with
/// the Rendering, Reports and CoverSynth tests (`--filter "RenderingTests|ReportsTests|CoverSynthTests"`),
/// 8 of 12 runs failed without the lock (crashes, torn reports, or this test's drawings differing)
/// and 0 of 12 with it.
@Suite struct ConcurrentDrawingTests {
    static let generator = try! CoverGenerator(width: 160, height: 240)
    static let labels = ["평균 표지 제목", "The Binary Star", "신작 표지 1.jpg", "Draft cover 2 final"]

    /// Round `i`: a cover of one of the styles, a small figure with Latin and Hangul text, or the
    /// same text in a PDF (whose fonts are embedded through FreeType when it is finished).
    static func drawing(_ i: Int, pdfFolder: URL) throws -> RGBImage? {
        let styles = CoverStyle.allCases
        switch i % 3 {
        case 0:
            return try generator.render(seed: UInt64(i / 3 % 6), style: styles[i / 3 % styles.count], coverClass: .popular).image
        case 1:
            let canvas = try Canvas(size: Size(width: 220, height: 70))
            write(labels, on: canvas)
            return try canvas.renderedImage()
        default:
            let canvas = try Canvas(pdfSize: Size(width: 220, height: 70))
            write(labels, on: canvas)
            let url = pdfFolder.appendingPathComponent("round-\(i).pdf")
            try canvas.writePDF(to: url)
            let pdf = try Data(contentsOf: url)
            // A complete PDF starts with %PDF and its last line is %%EOF (a torn write ends early).
            guard pdf.starts(with: Data("%PDF".utf8)), pdf.suffix(8).range(of: Data("%%EOF".utf8)) != nil else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
            }
            return nil
        }
    }

    static func write(_ lines: [String], on canvas: Canvas) {
        for (line, text) in lines.enumerated() {
            canvas.drawText(text, style: line % 2 == 0 ? Theme.title : Theme.caption, at: Point(x: 6, y: 4 + 16 * Double(line)))
        }
    }

    @Test func coversAndFiguresOnManyThreadsMatchThoseDrawnAlone() throws {
        // Parallel first: the first text a process draws also sets up fontconfig, Pango's font maps
        // and Cairo's font faces, which is where the races were (when this suite runs early).
        let rounds = 6 * CoverStyle.allCases.count * 6
        let pdfFolder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: pdfFolder) }
        let lock = NSLock()
        var parallel = [RGBImage?](repeating: nil, count: rounds)
        var failures: [String] = []
        parallelFor(rounds, workers: 6) { i in
            do {
                let image = try Self.drawing(i, pdfFolder: pdfFolder)
                lock.withLock { parallel[i] = image }
            } catch {
                lock.withLock { failures.append("round \(i): \(error)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(rounds) parallel drawings failed: \(failures.prefix(3))")
        let alone = try (0..<rounds).map { try Self.drawing($0, pdfFolder: pdfFolder) }
        let different = (0..<rounds).filter { parallel[$0] != nil && parallel[$0] != alone[$0] }
        #expect(different.isEmpty, "drawings \(different.prefix(5)) differ from the same drawings made alone")
    }
}
