import Foundation
import Testing

/// The report `coverlens demo` writes, as its reader gets it (issue 13): small enough to mail, and
/// sound in a real browser at a desktop and a phone width.
@Suite("The demo report in a browser")
struct DemoReportTests {
    /// The whole bundle folder (the zip beside it is the same files compressed again).
    static let sizeLimit = 5_000_000
    /// Forty candidates: "well under 10 MB" (6,892,379 bytes, printed by this test; 15 MB with
    /// PNG and JPEG figures and every repeated cover embedded again in the PDF).
    static let fortyCandidateLimit = 8_000_000

    @Test("coverlens demo: bundle under 5 MB, 40 candidates under 8 MB; in English and Korean at 1280 and 390 px every image loads, nothing scrolls sideways or is cut off")
    func demoReportReadsInABrowser() throws {
        let model = try CLI.model()
        try #require(BrowserCheck.browser != nil, "Chromium is not installed: scripts/setup.sh installs it (apt-get install chromium)")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-demo-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let report = work.appendingPathComponent("demo")
        let demo = try CLI.run(["demo", "--examples", CLI.repository.appendingPathComponent("Examples").path, "--out", report.path,
                                "--model", model, "--cache", work.appendingPathComponent("cache/embeddings.sqlite").path,
                                "--threads", "2"], in: work, timeout: 900)
        try #require(demo.status == 0 && !demo.signalled, "demo failed: \(demo)")

        let size = try Self.folderSize(report)
        print("demo report: \(size) bytes in \(report.path)")
        #expect(size < Self.sizeLimit, "the demo bundle is \(size) bytes, over \(Self.sizeLimit)")

        // The Korean page from the same results (`coverlens report`, no recomputation): longer
        // labels, other line breaking.
        let korean = work.appendingPathComponent("demo-ko")
        let rendered = try CLI.run(["report", report.appendingPathComponent("results.json").path, "--lang", "ko",
                                    "--out", korean.path], in: work, timeout: 600)
        try #require(rendered.status == 0 && !rendered.signalled, "report --lang ko failed: \(rendered)")

        // Forty candidates (a fresh synth set, scored with the demo's trained head, so every
        // candidate has its Grad-CAM figure): the part of a bundle that grows with candidates must
        // keep a big job mailable (issue 13: well under 10 MB).
        let synth = work.appendingPathComponent("synth40")
        let made = try CLI.run(["synth", "--out", synth.path, "--per-class", "20", "--candidates", "40", "--seed", "5"], in: work, timeout: 600)
        try #require(made.status == 0 && !made.signalled, "synth failed: \(made)")
        let forty = work.appendingPathComponent("forty")
        let scored = try CLI.run(["score", "--popular", synth.appendingPathComponent("popular").path,
                                  "--other", synth.appendingPathComponent("other").path,
                                  "--candidates", synth.appendingPathComponent("candidates").path,
                                  "--model", work.appendingPathComponent("demo-model/model.safetensors").path, "--out", forty.path,
                                  "--cache", work.appendingPathComponent("cache/embeddings.sqlite").path, "--threads", "2"],
                                 in: work, timeout: 900)
        try #require(scored.status == 0 && !scored.signalled, "score of 40 candidates failed: \(scored)")
        let fortySize = try Self.folderSize(forty)
        print("40-candidate report: \(fortySize) bytes in \(forty.path)")
        #expect(fortySize < Self.fortyCandidateLimit, "the 40-candidate bundle is \(fortySize) bytes, over \(Self.fortyCandidateLimit)")

        for (language, bundle) in [("en", report), ("ko", korean), ("en, 40 candidates", forty)] {
            for width in [1280, 390] {
                let found = try BrowserCheck.open(bundle, width: width)
                let at = "\(language) at \(width) px"
                print("demo report \(at): \(found.images) images, scrollWidth \(found.scrollWidth) of \(found.viewport)")
                #expect(found.viewport == Double(width), "the page was laid out \(found.viewport) px wide, not \(width)")
                #expect(found.images >= 20, "only \(found.images) images on the page \(at)")
                #expect(found.broken.isEmpty, "images that did not load \(at): \(found.broken)")
                #expect(found.scrollWidth <= found.viewport + 0.5,
                        "the page scrolls sideways \(at): \(found.scrollWidth) wide in a \(found.viewport) px window")
                #expect(found.wide.isEmpty, "images wider than the page \(at): \(found.wide)")
                #expect(found.overflowing.isEmpty, "content cut off or scrolling sideways \(at): \(found.overflowing)")
            }
        }
    }

    static func folderSize(_ folder: URL) throws -> Int {
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]))
        var total = 0
        for case let url as URL in files {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values.isRegularFile == true { total += values.fileSize ?? 0 }
        }
        return total
    }
}
