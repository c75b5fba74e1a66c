import Foundation
import Testing

/// The bundle checker of the end-to-end test must catch what it is there to catch, or a broken
/// bundle would pass: hand-made pages with one fault each.
@Suite struct ReportReferencesTests {
    /// A bundle folder holding `page` as index.html, a style sheet, one figure and one file outside it.
    private func bundle(_ page: String, css: String = "body { background: url(figures/a.png); }") throws -> (URL, URL) {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-refs-\(UUID().uuidString)")
        let bundle = work.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: bundle.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Data(page.utf8).write(to: bundle.appendingPathComponent("index.html"))
        try Data(css.utf8).write(to: bundle.appendingPathComponent("report.css"))
        try Data([1]).write(to: bundle.appendingPathComponent("figures/a.png"))
        try Data([1]).write(to: bundle.appendingPathComponent("figures/b c.png"))
        try Data([1]).write(to: work.appendingPathComponent("outside.png"))
        return (work, bundle)
    }

    private let good = """
        <link rel="stylesheet" href="report.css"><a href="#top">top</a><h1 id="top">x</h1>
        <img src="figures/a.png" srcset="figures/a.png 1x, figures/b%20c.png 2x" style="background: url('figures/b c.png')">
        <a href="figures/a.png?v=1#x">a</a><img src="data:image/png;base64,AAAA">
        """

    @Test func aCompleteBundlePasses() throws {
        let (work, bundle) = try bundle(good)
        defer { try? FileManager.default.removeItem(at: work) }
        let references = try ReportReferences(bundle: bundle)
        #expect(references.outside.isEmpty && references.missing.isEmpty && references.brokenAnchors.isEmpty,
                "outside \(references.outside), missing \(references.missing), anchors \(references.brokenAnchors)")
        #expect(references.files == ["report.css", "figures/a.png", "figures/b c.png"], "\(references.files)")
    }

    @Test(arguments: [
        ("<img src=\"figures/gone.png\">", "missing"),
        ("<img srcset=\"figures/a.png 1x, figures/gone@2x.png 2x\">", "missing"),
        ("<img src=\"../outside.png\">", "outside"),
        ("<img src=\"figures/../../outside.png\">", "outside"),
        ("<img src=\"/etc/hostname\">", "outside"),
        ("<img src=\"file:///etc/hostname\">", "outside"),
        ("<script src=\"https://example.com/x.js\"></script>", "outside"),
        ("<a href=\"#nowhere\">x</a>", "anchor"),
        ("<div style=\"background: url(&quot;figures/gone.png&quot;)\"></div>", "missing"),
        ("<link rel=\"stylesheet\" href=\"report.css\">", "css"),
    ])
    func aFaultIsCaught(_ page: String, _ kind: String) throws {
        let (work, bundle) = try bundle(good + page, css: kind == "css" ? "@import 'more.css'; x { background: url(gone.png) }" : "")
        defer { try? FileManager.default.removeItem(at: work) }
        let references = try ReportReferences(bundle: bundle)
        switch kind {
        case "outside": #expect(!references.outside.isEmpty, "not caught as outside: \(page)")
        case "anchor": #expect(!references.brokenAnchors.isEmpty, "broken anchor not caught: \(page)")
        default: #expect(!references.missing.isEmpty, "missing file not caught: \(page)")
        }
    }
}
