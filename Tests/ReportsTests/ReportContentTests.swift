import CoverAnalysis
import Foundation
import Rendering
import Testing
@testable import Reports

/// Verdict thresholds and training logs in both formats.
@Suite struct ReportContentTests {
    /// The rule in `Verdict`'s table, at and either side of every boundary.
    @Test(arguments: [
        (0.5, 50.0, Verdict.strong), (0.99, 100, .strong), (0.769, 13, .likely), (0.5, 49.9, .likely), (1, 0, .likely),
        (0.4999, 100, .doubtful), (0.1, 25, .doubtful), (0.4999, 24.9, .unlikely), (0, 0, .unlikely),
        (.nan, 90, .doubtful), (0.9, .nan, .likely), (.nan, .nan, .unlikely),
    ] as [(Double, Double, Verdict)])
    func verdictFollowsProbabilityThenPercentile(_ p: Double, _ q: Double, _ expected: Verdict) {
        #expect(Verdict(probability: p, percentileAmongPopular: q) == expected, "p \(p), percentile \(q)")
    }

    @Test(arguments: [(75.0, Verdict.similarStrong), (74.9, .similarTypical), (25, .similarTypical), (24.9, .similarBelow),
                      (.nan, .similarBelow)] as [(Double, Verdict)])
    func withoutAHeadTheSimilarityQuartilesDecide(_ q: Double, _ expected: Verdict) {
        #expect(Verdict(probability: nil, percentileAmongPopular: q) == expected, "percentile \(q)")
    }

    /// Every verdict has words in every language, and the words name the number they rest on.
    @Test func everyVerdictStatesItsBasis() throws {
        for language in [ReportLanguage.en, .ko] {
            let strings = try ReportStrings(language: language, templates: TestPaths.templates)
            for verdict in Verdict.allCases {
                #expect(strings.has(verdict.textKey), "\(language): no \(verdict.textKey)")
                let text = strings.text(verdict.textKey)
                let basis = verdict.rawValue.hasPrefix("similar") ? "75" : "0.5"
                #expect(text.contains(basis) || text.contains("25"), "\(language) \(verdict): '\(text)' does not say what it rests on")
            }
        }
    }

    /// Each verdict opens with the name the "how the verdict is read" note gives it (strong, likely,
    /// doubtful, unlikely; strong, typical, below), and no two verdicts of a rule share that name:
    /// "strong" and "likely" both opened with "likely popular" before, so a green "likely popular"
    /// read as the likely verdict.
    @Test func everyVerdictOpensWithTheNameTheRuleGivesIt() throws {
        for language in [ReportLanguage.en, .ko] {
            let strings = try ReportStrings(language: language, templates: TestPaths.templates)
            for similarity in [false, true] {
                let rule = strings.text(similarity ? "summary.verdict_rule_similarity" : "summary.verdict_rule_head")
                let verdicts = Verdict.allCases.filter { $0.rawValue.hasPrefix("similar") == similarity }
                let names = verdicts.map { String(strings.text($0.textKey).prefix { $0 != ":" }) }
                for (verdict, name) in zip(verdicts, names) {
                    #expect(name != strings.text(verdict.textKey) && !name.isEmpty, "\(language) \(verdict): no 'name:' at the start")
                    #expect(rule.contains(name), "\(language) \(verdict): the rule '\(rule)' does not name '\(name)'")
                }
                #expect(Set(names).count == names.count, "\(language): verdicts share a name: \(names)")
            }
        }
    }

    /// The PDF colours verdicts as the page does: each tone's colour in `PDFStyle` is the CSS custom
    /// property `report.css` gives `.verdict-<tone> .verdict`.
    @Test func pdfVerdictColoursAreThePagesColours() throws {
        let css = try String(contentsOf: TestPaths.templates.appendingPathComponent("report.css"), encoding: .utf8)
        let tones = Set(Verdict.allCases.map(\.tone))
        #expect(tones == ["good", "neutral", "doubt", "weak"])
        for tone in tones {
            let rule = try #require(css.firstMatch(of: try Regex(#"\.verdict-\#(tone) \.verdict \{ color: var\((--[a-z-]+)\); \}"#)),
                                    "report.css has no colour for .verdict-\(tone)")
            let property = String(try #require(rule.output[1].substring))
            let value = try #require(css.firstMatch(of: try Regex(#"\#(property): (#[0-9a-fA-F]{6});"#)), "report.css has no \(property)")
            let cssHex = String(try #require(value.output[1].substring)).uppercased()
            let pdf = try #require(PDFStyle.toneColours[tone], "PDFStyle has no colour for \(tone)")
            #expect(pdf.hexString.uppercased() == cssHex, "\(tone): PDF \(pdf.hexString), page \(cssHex)")
        }
        // The likely verdict is the blue one (accent-dark), not the strong verdict's green.
        #expect(PDFStyle.colour(.likely) == PDFStyle.toneColours["neutral"] && PDFStyle.colour(.likely) != PDFStyle.colour(.strong))
    }

    /// One family for page and figures (issue 13): the style sheet's first font is the figures'
    /// first font (Rendering's `Theme.fontFamily`), and the page brings no web fonts of its own.
    @Test func pageAndFiguresNameTheSameFontFirst() throws {
        let css = try String(contentsOf: TestPaths.templates.appendingPathComponent("report.css"), encoding: .utf8)
        let html = try #require(css.firstMatch(of: try Regex(#"html \{[^}]*font-family: "([^"]+)""#)), "report.css sets no font-family on html")
        let pageFont = String(try #require(html.output[1].substring))
        let figureFont = Theme.fontFamily.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(pageFont == figureFont, "page: \(pageFont), figures: \(Theme.fontFamily)")
        #expect(!css.contains("@font-face") && !css.contains(".woff"), "report.css brings its own fonts")
    }

    /// A number that rounds to zero prints without a sign, and an effect printed as 0.00 has no
    /// direction ("-0.00 ... less" was in the demo report for brightness).
    @Test func zeroPrintsWithoutASignAndHasNoDirection() throws {
        #expect(NumberText.fixed(-0.004, 2) == "0.00")
        #expect(NumberText.fixed(-0.006, 2) == "-0.01")
        #expect(NumberText.fixed(-0.3, 0) == "0")
        #expect(NumberText.fixed(-1.5, 1) == "-1.5")
        var result = SampleReport.result()
        result.common.ranking = [FeatureEffect(feature: "brightness", effectSize: -0.0004), FeatureEffect(feature: "contrast", effectSize: -0.55),
                                 FeatureEffect(feature: "saturation", effectSize: 0.3)]
        let strings = try ReportStrings(language: .en, templates: TestPaths.templates)
        let ranking = ContentBuilder(result: result, trainingLog: nil, strings: strings, featureOrder: []).build().ranking
        #expect(ranking.map(\.effect) == ["0.00", "-0.55", "0.30"])
        #expect(ranking.map(\.direction) == ["about the same", "less", "more"])
    }

    @Test func nearDuplicateNamesTheMatchingPopularCover() {
        let candidates = SampleReport.result().candidates
        #expect(Verdict.nearDuplicateOf(candidates[0]) == candidates[0].matches[0].file)
        #expect(Verdict.nearDuplicateOf(candidates[1]) == nil)
    }

    @Test func trainingLogReadsFlatAndTrainerHistories() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let flat = folder.appendingPathComponent("flat.json")
        try Data(#"[{"epoch": 1, "trainLoss": 0.7, "validationLoss": 0.65, "validationAUC": 0.7}, {"epoch": 2, "trainLoss": 0.5}]"#.utf8)
            .write(to: flat)
        let log = try TrainingLog.read(from: flat)
        #expect(log.epochs.count == 2 && log.epochs[0].validationAUC == 0.7 && log.epochs[1].validationLoss == nil)

        let history = folder.appendingPathComponent("history.json")
        let metrics = #"{"count": 10, "loss": 0.4, "accuracy": 0.8, "rocAUC": 0.9, "precision": 0.8, "recall": 0.8, "f1": 0.8, "#
            + #""confusion": {"truePositives": 4, "falsePositives": 1, "trueNegatives": 4, "falseNegatives": 1}, "threshold": 0.5}"#
        try Data(#"{"bestEpoch": 1, "history": [{"epoch": 1, "learningRate": 0.001, "training": \#(metrics), "validation": \#(metrics)}]}"#.utf8)
            .write(to: history)
        let fromTrainer = try TrainingLog.read(from: history)
        #expect(fromTrainer.bestEpoch == 1 && fromTrainer.epochs.first?.validationAUC == 0.9, "\(fromTrainer)")

        let junk = folder.appendingPathComponent("junk.json")
        try Data(#"{"hello": 1}"#.utf8).write(to: junk)
        #expect(throws: ReportError.self) { try TrainingLog.read(from: junk) }
    }
}
