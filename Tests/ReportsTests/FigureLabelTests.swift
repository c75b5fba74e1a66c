import Foundation
import Rendering
import Testing
@testable import Reports

/// Words drawn inside figures come from the locale files, and only from there.
@Suite struct FigureLabelTests {
    private func labels(_ language: ReportLanguage) throws -> FigureLabels {
        let strings = try ReportStrings(language: language, templates: TestPaths.templates)
        return FigureBuilder(result: SampleReport.result(), trainingLog: nil, covers: CoverThumbnails(keys: [], source: .none),
                             strings: strings).figureLabels
    }

    @Test func koreanFiguresTranslateEveryFixedWord() throws {
        let korean = Mirror(reflecting: try labels(.ko)).children
        let english = Dictionary(uniqueKeysWithValues: Mirror(reflecting: try labels(.en)).children.map { ($0.label ?? "", "\($0.value)") })
        let sameInBothLanguages: Set<String> = ["auc"]
        for child in korean {
            let name = child.label ?? ""
            guard !sameInBothLanguages.contains(name) else { continue }
            #expect("\(child.value)" != english[name], "figure word \(name) is still English in the Korean report")
        }
    }

    /// A key missing from the locale comes back as the key itself ("figure.epoch"): none may.
    @Test func everyFigureWordIsInTheLocaleFiles() throws {
        for language in [ReportLanguage.en, .ko] {
            for child in Mirror(reflecting: try labels(language)).children {
                let word = "\(child.value)"
                #expect(!word.hasPrefix("figure.") && !word.contains("_"), "\(language): \(child.label ?? "?") reads '\(word)'")
            }
        }
    }
}
