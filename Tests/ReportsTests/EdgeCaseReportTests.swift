import Foundation
import Testing
@testable import Reports

/// Reports of unusual results still come out whole.
@Suite struct EdgeCaseReportTests {
    @Test func emptyResultGivesAValidBundle() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        var result = SampleReport.result()
        result.candidates = []
        result.skipped = []
        result.common.ranking = []
        result.common.styleClusters = []
        result.model.validation = nil
        let bundle = try ReportWriter(result: result, covers: .none, templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("empty"), formats: [.html, .pdf], language: .ko)
        let pdf = bundle.folder.appendingPathComponent("report.pdf")
        #expect((BundleInspection.pdfPageCount(pdf) ?? 0) >= 2, "empty report PDF unreadable or missing sections")
        let html = try String(contentsOf: bundle.folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("건너뛴 파일이 없습니다."), "empty skipped list not stated")
    }

    @Test func recordedPathsCannotLeaveTheCoverFolder() {
        let folder = URL(fileURLWithPath: "/data/popular")
        #expect(CoverThumbnails.contained("a/b.jpg", in: folder)?.path == "/data/popular/a/b.jpg")
        for hostile in ["../secret.png", "a/../../b.png", "/etc/passwd", "", "a//b.png", "./a.png"] {
            #expect(CoverThumbnails.contained(hostile, in: folder) == nil, "\(hostile) accepted")
        }
    }
}
