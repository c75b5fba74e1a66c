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
