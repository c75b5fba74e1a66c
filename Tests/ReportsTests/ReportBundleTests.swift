import CoverAnalysis
import Foundation
import Imaging
import Testing
import ZIPFoundation
@testable import Reports

/// A complete bundle written from the sample analysis: every file present, references resolvable,
/// hostile names escaped, the PDF paginated and searchable, the zip identical to the folder.
@Suite struct ReportBundleTests {
    private func write(_ sample: SampleReport, language: ReportLanguage = .en, paper: PaperSize = .a4,
                       formats: Set<ReportFormat> = [.html, .pdf]) throws -> ReportBundle {
        try ReportWriter(result: SampleReport.result(), trainingLog: SampleReport.trainingLog, covers: sample.covers,
                         templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("sample"), formats: formats, language: language, paper: paper)
    }

    private func html(_ bundle: ReportBundle) throws -> String {
        try String(contentsOf: bundle.folder.appendingPathComponent("index.html"), encoding: .utf8)
    }

    @Test func bundleHoldsPagesResultsFiguresAndCovers() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try write(sample)
        for file in ["index.html", "report.css", "report.pdf", "results.json", "results.csv", "training-log.json",
                     "figures/candidate-1-similar@2x.webp", "figures/training-curves.webp", "figures/training-curves@2x.webp",
                     "figures/similarity-heatmap.webp", "figures/style-cluster-1@2x.webp", "figures/candidate-3-attention@2x.webp",
                     "figures/average-cover@2x.webp", "figures/feature-1.webp", "figures/palettes.webp", "figures/candidate-2-palette.webp"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: bundle.folder.appendingPathComponent(file).path))?[.size] as? Int
            #expect((size ?? 0) > 0, "bundle lacks \(file) on disk (or it is empty); the folder has \(BundleInspection.filesOnDisk(bundle.folder))")
        }
        #expect(bundle.files == BundleInspection.filesOnDisk(bundle.folder), "ReportBundle.files differs from the folder on disk")
        // Three candidates, the seven popular covers they match (which include the popular
        // exemplars) and the two other-cover exemplars, each once.
        let covers = bundle.files.filter { $0.hasPrefix("covers/") }
        #expect(covers.count == 3 + 7 + 2, "covers: \(covers)")
        #expect(covers.allSatisfy { $0.range(of: #"^covers/(candidates|popular|other)-[0-9a-f]{20}\.jpg$"#, options: .regularExpression) != nil },
                "thumbnail names must be hashes: \(covers)")
    }

    /// Figures are WebP: charts lossless (VP8L, every pixel kept), cover figures lossy (VP8), and
    /// each decodes to its figure's size at the scale in its name.
    @Test func figuresAreLosslessOrLossyWebPAsTheirContentNeeds() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try write(sample)
        let figures = bundle.files.filter { $0.hasPrefix("figures/") }
        #expect(figures.count > 10 && figures.allSatisfy { $0.hasSuffix(".webp") }, "\(figures)")
        for file in figures {
            let bytes = [UInt8](try Data(contentsOf: bundle.folder.appendingPathComponent(file)))
            #expect(bytes.count > 30 && bytes[0..<4] == Array("RIFF".utf8)[...] && bytes[8..<12] == Array("WEBP".utf8)[...], "\(file) is not a WebP")
            let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
            let photographic = ["-similar", "-attention", "style-cluster-", "average-cover"].contains { file.contains($0) }
            #expect(chunk == (photographic ? "VP8 " : "VP8L"), "\(file): \(chunk) chunk")
            let image = try ImageDecoder.decode(bytes: bytes, name: file).image
            #expect(image.width > 100 && image.height > 50, "\(file): \(image.width)×\(image.height)")
        }
    }

    @Test func htmlReferencesOnlyFilesInTheBundle() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try write(sample)
        let references = BundleInspection.references(in: try html(bundle))
        #expect(references.count > 20, "too few references found: \(references)")
        for reference in references where !reference.hasPrefix("#") {
            #expect(!reference.contains(":") && !reference.hasPrefix("/") && !reference.contains(".."),
                    "\(reference) points outside the bundle")
            #expect(bundle.files.contains(reference), "index.html references \(reference), which is not in the bundle")
        }
    }

    @Test func hostileFileNameAppearsEscapedNeverRaw() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let page = try html(try write(sample))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;.png"), "escaped hostile name missing from index.html")
        #expect(!page.contains("<img src=x onerror"), "hostile name reached index.html unescaped")
        #expect(page.contains("broken &lt;b&gt;.jpg"), "skipped file name not escaped")
        #expect(!page.contains("<script"), "the report needs no JavaScript")
    }

    @Test(arguments: [ReportLanguage.en, .ko])
    func pdfHasOnePagePerCandidateAndEveryName(_ language: ReportLanguage) throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let pdf = try write(sample, language: language).folder.appendingPathComponent("report.pdf")
        let pages = try #require(BundleInspection.pdfPageCount(pdf), "pdfinfo could not read \(pdf.path) (poppler-utils installed?)")
        // Summary, one page at least per candidate, common features, diagnostics.
        #expect(pages >= 1 + SampleReport.candidateNames.count + 2, "\(pages) pages")
        let text = try #require(BundleInspection.pdfText(pdf), "pdftotext failed")
        for name in SampleReport.candidateNames {
            #expect(text.contains(name), "PDF text lacks candidate \(name)")
        }
        let footer = language == .en ? "Page \(pages) of \(pages)" : "\(pages) / \(pages) 쪽"
        #expect(text.contains(footer), "last page footer \(footer) missing: the layout's page count differs from the PDF's")
        if language == .ko {
            #expect(text.contains("인기 표지의 공통점") && text.contains("요약"), "Korean headings missing from the PDF text")
        }
    }

    @Test func letterPaperChangesThePageSize() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let a4 = BundleInspection.pdfPageSize(try write(sample).folder.appendingPathComponent("report.pdf"))
        let letter = BundleInspection.pdfPageSize(try write(sample, paper: .letter).folder.appendingPathComponent("report.pdf"))
        #expect(a4?.contains("595.28 x 841.89") == true, "A4: \(a4 ?? "no pdfinfo")")
        #expect(letter?.contains("612 x 792") == true, "Letter: \(letter ?? "no pdfinfo")")
    }

    @Test func zipHoldsTheSameFilesUnderTheBundleName() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try write(sample)
        let archive = try Archive(url: bundle.zip, accessMode: .read)
        let entries = archive.map(\.path).filter { !$0.hasSuffix("/") }.sorted()
        let onDisk = BundleInspection.filesOnDisk(bundle.folder)
        #expect(onDisk.count > 20, "the folder holds too few files: \(onDisk)")
        #expect(entries == onDisk.map { "sample/" + $0 }, "zip entries differ from the folder: \(Set(entries).symmetricDifference(onDisk.map { "sample/" + $0 }))")
        for file in onDisk {
            let entry = try #require(archive["sample/" + file], "zip lacks sample/\(file)")
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            #expect(data == (try Data(contentsOf: bundle.folder.appendingPathComponent(file))), "zipped \(file) differs from the folder's")
        }
    }

    @Test func reRenderingFromResultsAloneKeepsCoversAndFigures() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let first = try write(sample)
        try FileManager.default.removeItem(at: sample.root.appendingPathComponent("covers"))   // originals gone
        let result = try AnalysisResult.read(from: first.folder.appendingPathComponent("results.json"))
        let log = try TrainingLog.read(from: first.folder.appendingPathComponent("training-log.json"))
        let second = try ReportWriter(result: result, trainingLog: log, covers: .bundle(first.folder), templates: TestPaths.templates)
            .write(to: first.folder, formats: [.html, .pdf], language: .ko)
        #expect(second.files == first.files, "re-rendered bundle has different files")
        let page = try html(second)
        #expect(page.contains("<html lang=\"ko\">"), "re-rendered page is not Korean")
        for reference in BundleInspection.references(in: page) where !reference.hasPrefix("#") {
            #expect(second.files.contains(reference), "re-rendered index.html references missing \(reference)")
        }
        #expect(!page.contains("cover-missing"), "a cover lost its thumbnail on re-rendering")
    }

    /// A bundle written before issue 13 kept its thumbnails as PNG (`covers/<role>-<hash>.png`);
    /// `coverlens report` on its results.json still shows every cover.
    @Test func reRenderingAnOlderBundleFindsItsPNGThumbnails() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let first = try write(sample)
        try FileManager.default.removeItem(at: sample.root.appendingPathComponent("covers"))   // originals gone
        let covers = first.folder.appendingPathComponent("covers")
        for name in try FileManager.default.contentsOfDirectory(atPath: covers.path) where name.hasSuffix(".jpg") {
            let jpeg = covers.appendingPathComponent(name)
            let image = try ImageDecoder.decode(contentsOf: jpeg).image
            try PNGEncoder.encode(image).write(to: jpeg.deletingPathExtension().appendingPathExtension("png"))
            try FileManager.default.removeItem(at: jpeg)
        }
        let result = try AnalysisResult.read(from: first.folder.appendingPathComponent("results.json"))
        let second = try ReportWriter(result: result, covers: .bundle(first.folder), templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("again"), formats: [.html])
        let page = try html(second)
        #expect(!page.contains("cover-missing"), "a cover of the older bundle lost its thumbnail")
        #expect(second.files.filter { $0.hasPrefix("covers/") }.count == 3 + 7 + 2)
    }

    /// Every figure links to its sharpest file (the 2× one), so a phone reader can open a figure
    /// shrunk to the screen at full size.
    @Test func everyFigureLinksToItsSharpestFile() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let page = try html(try write(sample, formats: [.html]))
        let figures = page.matches(of: try Regex(#"<figure class="figure">\s*<a class="figure-link" href="([^"]+)"><img src="([^"]+)""#))
        #expect(figures.count == page.components(separatedBy: "<figure class=\"figure\">").count - 1, "a figure without its link")
        #expect(figures.count > 10)
        for figure in figures {
            let link = String(try #require(figure.output[1].substring)), src = String(try #require(figure.output[2].substring))
            #expect(link.hasSuffix("@2x.webp") && link.hasPrefix(src.replacingOccurrences(of: "@2x.webp", with: "").replacingOccurrences(of: ".webp", with: "")),
                    "\(src) links to \(link)")
        }
    }

    @Test func htmlOnlyBundleHasNoPDFAndDoesNotLinkOne() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try write(sample, formats: [.html])
        #expect(!bundle.files.contains("report.pdf"), "PDF written although only html was asked for")
        #expect(!(try html(bundle)).contains("report.pdf"), "index.html links a PDF that is not there")
    }
}
