import Foundation
import Rendering
import Testing

/// Writes every sample figure as PNG (1× and 2×) and PDF to `$COVERLENS_PREVIEW_DIR` for a person
/// to look at; without the variable, it only checks that each renders and writes.
@Suite struct PreviewTests {
    @Test func everyFigureWritesPNGAndPDF() throws {
        let preview = ProcessInfo.processInfo.environment["COVERLENS_PREVIEW_DIR"]
        let folder = preview.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-preview-\(UUID().uuidString)")
        // Figures written for a person to look at stay; a throwaway folder goes when the test ends.
        defer { if preview == nil { try? FileManager.default.removeItem(at: folder) } }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, figure) in SampleFigures.all + SampleFigures.korean {
            let png = folder.appendingPathComponent("\(name).png")
            try figure.writePNG(to: png)
            try figure.writePNG(to: folder.appendingPathComponent("\(name)@2x.png"), scale: 2)
            try figure.writePDF(to: folder.appendingPathComponent("\(name).pdf"))
            let image = try RenderedPNG.read(from: png)
            #expect(image.width == Int(figure.size.width), "\(name) width")
            let pdf = try Data(contentsOf: folder.appendingPathComponent("\(name).pdf"))
            #expect(pdf.starts(with: Data("%PDF-".utf8)) && pdf.count > 1000, "\(name).pdf is a real PDF (\(pdf.count) bytes)")
        }
    }
}
