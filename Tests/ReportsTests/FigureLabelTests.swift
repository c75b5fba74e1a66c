import Foundation
import Rendering
import Testing
@testable import Reports

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
