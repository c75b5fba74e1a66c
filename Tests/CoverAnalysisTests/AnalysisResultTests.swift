import Foundation
import Testing
@testable import CoverAnalysis

@Suite struct AnalysisResultTests {
    static func sample() -> AnalysisResult {
        let match = MatchResult(file: "p/a \"quoted\", name.jpg", cosine: 0.98, nearDuplicate: true)
        let candidate = CandidateResult(
            file: "<img src=x onerror=alert(1)>.png", popularity: 0.71, percentileAmongPopular: 62.5,
            percentileAmongOther: nil, matches: [match], nearDuplicate: true,
            features: ["brightness": 55.5, "contrast": 20], featurePercentiles: ["brightness": 50],
            palette: [Swatch(hex: "#112233", lab: [10, 1, -2], share: 1)], styleCluster: 0, attention: nil)
        return AnalysisResult(
            generator: "coverlens test",
            model: ModelSummary(architecture: "efficientnet-lite0", file: "m.safetensors", fingerprint: "f",
                                preprocessing: "{}", hasTrainedHead: true),
            dataset: DatasetSummary(popularFolder: "popular", otherFolder: nil, candidatesFolder: "candidates",
                                    popularCount: 4, otherCount: 0, candidateCount: 1),
            settings: ScoreSettings(topK: 2), popularity: .trainedHead, candidates: [candidate],
            common: CommonFeatures(popularPalette: [], otherPalette: nil, popular: [:], other: nil, ranking: [], styleClusters: []),
            skipped: [SkippedFile(folder: "popular", file: "bad.jpg", reason: "truncated")])
    }

    @Test func jsonRoundTripsAndIsStable() throws {
        let result = Self.sample()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try result.write(to: folder)
        let back = try AnalysisResult.read(from: folder.appendingPathComponent("results.json"))
        #expect(back == result)
        #expect(try back.jsonData() == (try result.jsonData()))
    }

    @Test func csvQuotesAwkwardNamesAndPadsMissingMatches() {
        let lines = Self.sample().csv().split(separator: "\n").map(String.init)
        #expect(lines[0] == "file,popularity,percentile_among_popular,percentile_among_other,near_duplicate,style_cluster,match1,match1_cosine,match2,match2_cosine,brightness,contrast")
        #expect(lines[1] == "<img src=x onerror=alert(1)>.png,0.71,62.5,,true,0,\"p/a \"\"quoted\"\", name.jpg\",0.98,,,55.5,20")
        #expect(AnalysisResult.csvField("=cmd()") == "'=cmd()")
    }

    @Test func unknownSchemaVersionIsRefusedWithAClearMessage() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"schemaVersion": 99}"#.utf8).write(to: url)
        #expect { try AnalysisResult.read(from: url) } throws: { "\($0)".contains("version 99") }
    }

    @Test func percentilesAndQuartilesFollowTheirDefinitions() {
        let summary = FeatureSummary(values: [4, 1, 3, 2])
        #expect(summary.quartiles == [1.75, 2.5, 3.25])
        #expect(summary.percentile(of: 2) == 37.5)   // one below, one equal (half)
        #expect(summary.percentile(of: 10) == 100)
        #expect(summary.mean == 2.5)
    }
}
