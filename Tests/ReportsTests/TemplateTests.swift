import Foundation
import Rendering
import Testing
@testable import Reports

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
