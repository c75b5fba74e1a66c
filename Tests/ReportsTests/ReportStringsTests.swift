import Foundation
import Rendering
import Testing
@testable import Reports

/// Every language has every string, and Korean strings draw with real glyphs.
@Suite struct ReportStringsTests {
    @Test(arguments: ReportLanguage.allCases)
    func everyLanguageHasEveryEnglishKey(_ language: ReportLanguage) throws {
        let english = try ReportStrings(language: .en, templates: TestPaths.templates)
        let strings = try ReportStrings(language: language, templates: TestPaths.templates)
        let missing = english.keys.subtracting(strings.keys).sorted()
        #expect(missing.isEmpty, "\(language.rawValue).json lacks \(missing)")
        let extra = strings.keys.subtracting(english.keys).sorted()
        #expect(extra.isEmpty, "\(language.rawValue).json has keys English lacks: \(extra)")
    }

    @Test func placeholdersAreFilledAndMissingKeysShowThemselves() throws {
        let ko = try ReportStrings(language: .ko, templates: TestPaths.templates)
        #expect(ko.text("page_number", ["page": "2", "pages": "9"]) == "2 / 9 쪽")
        #expect(ko.text("no.such.key") == "no.such.key")
        #expect(ko.name("feature", "brightness") == "밝기")
        #expect(ko.name("feature", "unheard-of") == "unheard-of")
    }

    @Test func koreanStringsHaveAGlyphForEveryCharacter() throws {
        let ko = try ReportStrings(language: .ko, templates: TestPaths.templates)
        let canvas = try Canvas(size: Size(width: 10, height: 10))
        for key in ko.keys.sorted() {
            let text = ko.text(key)
            #expect(canvas.unknownGlyphCount(text, style: TextStyle(size: 10)) == 0, "\(key) = \(text) draws tofu boxes")
        }
    }

    @Test func aLocaleThatIsNotAnObjectIsATypedError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-locale-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("locales"), withIntermediateDirectories: true)
        try Data("[1, 2]".utf8).write(to: folder.appendingPathComponent("locales/en.json"))
        #expect(throws: ReportError.unreadableLocale(path: folder.appendingPathComponent("locales/en.json").path, reason: "not a JSON object")) {
            try ReportStrings(language: .en, templates: folder)
        }
    }
}

/// The templates escape everything and ask only for strings that exist.
@Suite struct TemplateTests {
    private func templateTexts() throws -> [(String, String)] {
        try AtomicBundle.files(in: TestPaths.templates).filter { $0.hasSuffix(".mustache") }.map {
            ($0, try String(contentsOf: TestPaths.templates.appendingPathComponent($0), encoding: .utf8))
        }
    }

    @Test func noTemplateWritesUnescapedValues() throws {
        for (name, text) in try templateTexts() {
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) writes a value without HTML escaping")
            #expect(!text.contains("{{%"), "\(name) changes the content type (escaping)")
            #expect(!text.lowercased().contains("<script"), "\(name) uses JavaScript")
            #expect(!text.contains("http://") && !text.contains("https://"), "\(name) needs the network")
        }
    }

    @Test func everyStringATemplateUsesExists() throws {
        let english = try ReportStrings(language: .en, templates: TestPaths.templates)
        let regex = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([a-z_.\-]+)\}\}"#)
        for (name, text) in try templateTexts() {
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let key = String(text[range])
                #expect(english.has(key), "\(name) uses t.\(key), which en.json lacks")
            }
        }
    }

    @Test func templatesAreFoundFromABinaryInsideTheProject() throws {
        let binary = TestPaths.root.appendingPathComponent(".build/release/coverlens")
        let found = try TemplateDirectory.locate(executable: binary, currentDirectory: URL(fileURLWithPath: "/"))
        #expect(found.standardizedFileURL.path == TestPaths.templates.standardizedFileURL.path)
        #expect(throws: ReportError.self) {
            try TemplateDirectory.locate(executable: URL(fileURLWithPath: "/usr/bin/coverlens"), currentDirectory: URL(fileURLWithPath: "/proc"))
        }
    }
}

/// Verdict thresholds and training logs in both formats.
@Suite struct ReportContentTests {
    @Test func verdictFollowsThePopularQuartiles() {
        #expect(Verdict(percentileAmongPopular: 75) == .strong)
        #expect(Verdict(percentileAmongPopular: 74.9) == .typical)
        #expect(Verdict(percentileAmongPopular: 25) == .typical)
        #expect(Verdict(percentileAmongPopular: 24.9) == .unlike)
        #expect(Verdict(percentileAmongPopular: .nan) == .unlike)
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

/// Words drawn inside figures come from the locale too.
@Suite struct FigureLabelTests {
    @Test func koreanFiguresTranslateEveryFixedWord() throws {
        let strings = try ReportStrings(language: .ko, templates: TestPaths.templates)
        let builder = FigureBuilder(result: SampleReport.result(), trainingLog: nil, covers: CoverThumbnails(keys: [], source: .none),
                                    strings: strings)
        let korean = Mirror(reflecting: builder.figureLabels).children
        let english = Dictionary(uniqueKeysWithValues: Mirror(reflecting: FigureLabels.english).children.map { ($0.label ?? "", "\($0.value)") })
        let sameInBothLanguages: Set<String> = ["auc"]
        for child in korean {
            let name = child.label ?? ""
            guard !sameInBothLanguages.contains(name) else { continue }
            #expect("\(child.value)" != english[name], "figure word \(name) is still English in the Korean report")
        }
    }
}
