import Foundation
import Testing
@testable import CoverSynth

/// The set's plan: folders, names, styles and the manifest.
@Suite struct SynthSetTests {
    @Test func planCoversBothClassesEveryStyleAndUnusualNames() throws {
        let rows = try SynthSet(perClass: 10, candidates: 8, seed: 3).plan()
        #expect(rows.count == 28)
        let candidates = rows.filter { $0.file.hasPrefix("candidates/") }
        #expect(Set(candidates.map(\.style)) == Set(CoverStyle.allCases), "candidate styles: \(candidates.map(\.style))")
        #expect(Set(candidates.map(\.coverClass)) == Set(CoverClass.allCases))
        #expect(candidates.contains { $0.file == "candidates/신작 표지 1.jpg" })
        for coverClass in CoverClass.allCases {
            let styles = rows.filter { $0.file.hasPrefix("\(coverClass.rawValue)/") }.map(\.style)
            for style in CoverStyle.allCases {
                #expect(styles.filter { $0 == style }.count == 2, "\(coverClass): \(style) not evenly represented")
            }
        }
        #expect(Set(rows.map(\.file)).count == rows.count, "duplicate file names")
        #expect(Set(rows.map(\.seed)).count == rows.count, "duplicate seeds")
    }

    @Test func manifestQuotesAwkwardNames() {
        let row = SynthManifestRow(file: "candidates/a, \"b\".jpg", coverClass: .other, style: .children, seed: 12)
        #expect(row.csvLine == "\"candidates/a, \"\"b\"\".jpg\",other,children,12")
        #expect(SynthManifestRow.csv([row]).hasPrefix("file,class,style,seed\n"))
    }

    @Test func refusesAFolderThatAlreadyHoldsCovers() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = try CoverGenerator(width: 100, height: 150)
        let set = try SynthSet(perClass: 1, candidates: 0, seed: 1)
        try set.write(to: folder, generator: generator)
        #expect(throws: CoverSynthError.outputNotEmpty(path: folder.appendingPathComponent("popular").path)) {
            try set.write(to: folder, generator: generator)
        }
        try set.write(to: folder, generator: generator, replace: true)
    }

    @Test func rejectsBadRequests() {
        #expect(throws: CoverSynthError.self) { try SynthSet(perClass: 0, candidates: 1, seed: 1) }
        #expect(throws: CoverSynthError.self) { try SynthSet(perClass: 5, candidates: -1, seed: 1) }
        #expect(throws: CoverSynthError.self) { try CoverGenerator(width: 10, height: 600) }
    }
}
