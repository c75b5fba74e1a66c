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
            palette: [Swatch(hex: "#112233", lab: [10, 1, -2], share: 1)], styleCluster: 1, attention: nil)
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
        #expect(lines[1] == "<img src=x onerror=alert(1)>.png,0.71,62.5,,true,1,\"p/a \"\"quoted\"\", name.jpg\",0.98,,,55.5,20")
        #expect(AnalysisResult.csvField("=cmd()") == "'=cmd()")
    }

    @Test func unknownSchemaVersionIsRefusedWithAClearMessage() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"schemaVersion": 99}"#.utf8).write(to: url)
        #expect { try AnalysisResult.read(from: url) } throws: {
            "\($0)".contains("version 99 was written by a newer CoverLens") && "\($0)".contains("reads versions 1 to 2")
        }
        try Data(#"{"schemaVersion": 0}"#.utf8).write(to: url)
        #expect { try AnalysisResult.read(from: url) } throws: { "\($0)".contains("version 0 is not one CoverLens ever wrote") }
    }

    @Test("results are written as schema version 2")
    func resultsAreWrittenAsVersion2() throws {
        #expect(AnalysisResult.currentSchemaVersion == 2)
        let json = String(decoding: try Self.sample().jsonData(), as: UTF8.self)
        #expect(json.contains(#""schemaVersion" : 2"#), "\(json.prefix(200))")
    }

    /// `Tests/Fixtures/results/results-v1-trained-head.json`: the first three candidates of a
    /// `coverlens demo` results.json written by version 1 (before issue 13; attention maps and the
    /// average cover taken out to keep it small). Its style clusters count from 0.
    static let version1File = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/results/results-v1-trained-head.json")

    @Test("a version 1 file is read with its style clusters counted from 1, as version 2 numbers them")
    func version1ClustersAreRenumbered() throws {
        let result = try AnalysisResult.read(from: Self.version1File)
        #expect(result.schemaVersion == 2)
        #expect(result.candidates.map(\.styleCluster) == [1, 1, 8])
        #expect(result.common.styleClusters.map(\.index) == Array(1...8))
        // With a trained head the probability kept its meaning.
        #expect(result.candidates.map(\.popularity) == [0.9578171050399414, 0.6568609998647901, 0.03326057633385739])
    }

    @Test("a version 1 file without a trained head gets the mean cosine of its matches as popularity, not percentile/100")
    func version1SimilarityPopularityBecomesTheMeanCosine() throws {
        // Version 1 without a head stored popularity = percentileAmongPopular / 100 (Scorer before
        // issue 13); the same file made that way from the fixture.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.version1File)) as? [String: Any])
        json["popularity"] = "similarity"
        var model = try #require(json["model"] as? [String: Any])
        model["hasTrainedHead"] = false
        json["model"] = model
        var candidates = try #require(json["candidates"] as? [[String: Any]])
        for i in candidates.indices {
            candidates[i]["popularity"] = try #require(candidates[i]["percentileAmongPopular"] as? Double) / 100
        }
        json["candidates"] = candidates
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("results-v1-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try JSONSerialization.data(withJSONObject: json).write(to: url)

        let result = try AnalysisResult.read(from: url)
        for candidate in result.candidates {
            let cosines = candidate.matches.map(\.cosine)
            #expect(cosines.count == 5)
            #expect(candidate.popularity == cosines.reduce(0, +) / 5, "\(candidate.file)")
            #expect(candidate.popularity != candidate.percentileAmongPopular / 100, "\(candidate.file)")
        }
        #expect(result.candidates.map(\.styleCluster) == [1, 1, 8])
    }

    @Test("a version 1 file written after the change of meaning (it has matchSimilarities) keeps its numbers")
    func version1WithMatchSimilaritiesIsOnlyRelabelled() throws {
        var result = Self.sample()
        result.popularity = .similarity
        result.candidates[0].styleCluster = 1
        result.common.styleClusters = [StyleCluster(index: 1, size: 4, popularShare: 1, exemplars: [])]
        result.matchSimilarities = MatchSimilarities(columns: ["p/a \"quoted\", name.jpg"], values: [[0.98]])
        result.schemaVersion = 1
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try result.write(to: folder)
        let back = try AnalysisResult.read(from: folder.appendingPathComponent("results.json"))
        result.schemaVersion = 2
        #expect(back == result)
    }

    @Test func percentilesAndQuartilesFollowTheirDefinitions() {
        let summary = FeatureSummary(values: [4, 1, 3, 2])
        #expect(summary.quartiles == [1.75, 2.5, 3.25])
        #expect(summary.percentile(of: 2) == 37.5)   // one below, one equal (half)
        #expect(summary.percentile(of: 10) == 100)
        #expect(summary.mean == 2.5)
    }
}
