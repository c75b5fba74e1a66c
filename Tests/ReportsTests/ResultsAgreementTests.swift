import CoverAnalysis
import Foundation
import Testing
@testable import Reports

/// The page says what results.json says: for every candidate its numbers, verdict, style cluster
/// and matches, read back from the two files a reader has (not from the values that made them),
/// and the cluster numbering of results.csv and the PDF is the same one.
@Suite struct ResultsAgreementTests {
    @Test(arguments: [ReportLanguage.en, .ko])
    func htmlAgreesWithResultsJSON(_ language: ReportLanguage) throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try ReportWriter(result: SampleReport.result(), trainingLog: SampleReport.trainingLog, covers: sample.covers,
                                      templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("agree"), language: language)
        let strings = try ReportStrings(language: language, templates: TestPaths.templates)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bundle.folder.appendingPathComponent("results.json")))
            as? [String: Any])
        let html = try String(contentsOf: bundle.folder.appendingPathComponent("index.html"), encoding: .utf8)
        let csv = try String(contentsOf: bundle.folder.appendingPathComponent("results.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let clusterColumn = try #require(csv.first?.firstIndex(of: "style_cluster"))
        let headTrained = (json["popularity"] as? String) == PopularityMethod.trainedHead.rawValue
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.count == SampleReport.candidateNames.count)

        for (i, c) in candidates.enumerated() {
            let file = try #require(c["file"] as? String)
            let article = try #require(Self.slice(html, from: "<article id=\"candidate-\(i + 1)\"", to: "</article>"),
                                       "no article for candidate \(i + 1)")
            let popularity = try #require(c["popularity"] as? Double), percentile = try #require(c["percentileAmongPopular"] as? Double)
            #expect(article.contains(Self.escaped(file)), "\(file): name missing from its article")
            #expect(article.contains("<dd>\(String(format: "%.3f", popularity))</dd>"), "\(file): popularity \(popularity) not shown")
            #expect(article.contains("<dd>\(String(format: "%.0f", percentile))</dd>"), "\(file): percentile \(percentile) not shown")

            let verdict = Verdict(probability: headTrained ? popularity : nil, percentileAmongPopular: percentile)
            let words = Self.escaped(strings.text(verdict.textKey))
            #expect(article.contains("<span class=\"verdict\">\(words)</span>"), "\(file): verdict should be '\(words)'")
            let summaryRow = try #require(Self.slice(html, from: "<a href=\"#candidate-\(i + 1)\">\(Self.escaped(file))", to: "</tr>"))
            #expect(summaryRow.contains(words), "\(file): summary row shows another verdict")

            let cluster = try #require(c["styleCluster"] as? Int)
            let clusterText = Self.escaped(strings.text("candidate.cluster_name", ["index": "\(cluster)"]))
            #expect(article.contains("<dd>\(clusterText)</dd>"), "\(file): cluster \(cluster) of results.json not shown as '\(clusterText)'")
            let row = try #require(csv.first { $0.first == file || $0.first == "\"\(file)\"" }, "\(file) not in results.csv")
            #expect(row[clusterColumn] == "\(cluster)", "\(file): results.csv says cluster \(row[clusterColumn]), results.json \(cluster)")

            let matches = try #require(c["matches"] as? [[String: Any]])
            for (k, m) in matches.enumerated() {
                let name = try #require(m["file"] as? String), cosine = try #require(m["cosine"] as? Double)
                let cells = "<td class=\"num\">\(k + 1)</td><td class=\"file-name\">\(Self.escaped(name))</td>"
                    + "<td class=\"num\">\(String(format: "%.3f", cosine))</td>"
                #expect(article.contains(cells), "\(file): match \(k + 1) (\(name), \(cosine)) not in its table")
            }
        }
        let clusters = try #require((json["common"] as? [String: Any])?["styleClusters"] as? [[String: Any]])
        for cluster in clusters {
            let index = try #require(cluster["index"] as? Int)
            let title = Self.escaped(strings.text("common.cluster_title", ["index": "\(index)"]))
            #expect(html.contains(title), "cluster \(index) of results.json has no '\(title)' in the page")
        }
    }

    /// Counts print as counts, keys as words.
    @Test func validationMetricsAreTranslatedWithWholeCounts() throws {
        let sample = try SampleReport()
        defer { sample.remove() }
        let bundle = try ReportWriter(result: SampleReport.result(), covers: .none, templates: TestPaths.templates)
            .write(to: sample.output.appendingPathComponent("metrics"), formats: [.html])
        let html = try String(contentsOf: bundle.folder.appendingPathComponent("index.html"), encoding: .utf8)
        let table = try #require(Self.slice(html, from: "<h3>Validation metrics</h3>", to: "</table>"))
        for raw in ["falseNegatives", "count", "threshold"] { #expect(!table.contains(">\(raw)<"), "raw key \(raw) in \(table)") }
        #expect(table.contains(">24<") && table.contains(">3<") && !table.contains("24.000"), "counts must be whole: \(table)")
        // In reading order (how many covers, accuracy, AUC, threshold, confusion counts), not by JSON key.
        let labels = ["Covers held out", "Accuracy", "ROC AUC", "Decision threshold", "Popular, called other"]
        let positions = labels.map { table.range(of: ">\($0)<")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! },
                "metrics out of order: \(table)")
    }

    static func slice(_ text: String, from start: String, to end: String) -> String? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.lowerBound..<b.upperBound])
    }

    /// As the templates' `{{…}}` escapes.
    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
