import CoverAnalysis
import Runs
import Testing

/// The table `score` prints lines up in a terminal, Korean file names included.
@Suite struct ScoreSummaryTests {
    @Test func wideCharactersTakeTwoColumns() {
        #expect(ScoreSummary.columns("가") == 2)
        #expect(ScoreSummary.columns("a") == 1)
        let padded = ScoreSummary.pad("시안_1.jpg", 12)
        #expect(padded.reduce(0) { $0 + ScoreSummary.columns($1) } == 12, "'\(padded)'")
    }

    @Test func longNamesAreCutWithAnEllipsis() {
        let padded = ScoreSummary.pad("a-very-long-cover-name-indeed.jpg", 10)
        #expect(padded.hasPrefix("a-very-l…"), "'\(padded)'")
        #expect(padded.count == 10, "'\(padded)'")
    }

    @Test func oneLinePerCandidateWithItsBestMatchAndTheCopyEvidence() {
        let candidates = [("one.jpg", 0.91, true), ("two.jpg", 0.2, false)].map { name, p, near in
            CandidateResult(file: name, popularity: p, percentileAmongPopular: p * 100, percentileAmongOther: nil,
                            matches: [MatchResult(file: "pop.jpg", cosine: near ? 0.99 : 0.5, nearDuplicate: near)],
                            nearDuplicate: near, features: [:], featurePercentiles: [:], palette: [], styleCluster: nil, attention: nil,
                            copyCheck: CopyCheck(file: "pop.jpg", similarity: near ? 0.991 : 0.6, secondSimilarity: 0.5, isCopy: near))
        }
        let calibration = CopyCalibration(source: .fixed, popularCount: 5, medianNearest: nil, threshold: 0.92,
                                          marginThreshold: 1.8, tailShare: 0.002)
        let result = AnalysisResult(
            generator: "test",
            model: ModelSummary(architecture: "efficientnet-lite0", file: "m", fingerprint: "f", preprocessing: "p",
                                hasTrainedHead: true, validation: nil),
            dataset: DatasetSummary(popularFolder: "popular", otherFolder: nil, candidatesFolder: "candidates",
                                    popularCount: 5, otherCount: 0, candidateCount: 2),
            settings: ScoreSettings(copyDetection: calibration), popularity: .trainedHead, candidates: candidates,
            common: CommonFeatures(popularPalette: [], otherPalette: nil, popular: [:], other: nil, ranking: [], styleClusters: [],
                                   averageCover: nil),
            skipped: [])
        let lines = ScoreSummary.lines(result)
        #expect(lines.first == "2 candidates scored against 5 popular covers (efficientnet-lite0)")
        #expect(lines[2].hasPrefix("candidate") && lines[2].contains("p(popular)"))
        #expect(lines.count == 7, "\(lines)")
        #expect(lines[3].hasPrefix("one.jpg") && lines[3].contains("0.910") && lines[3].hasSuffix("pop.jpg (0.990)"), "\(lines[3])")
        #expect(lines[4] == "  NEAR-DUPLICATE of pop.jpg: copy similarity 0.991 (flagged from 0.920); the next popular cover is 55.6 times as far (flagged from 1.8)",
                "\(lines[4])")
        #expect(lines[5].hasPrefix("two.jpg") && lines[5].contains("0.200") && !lines[5].contains("NEAR-DUPLICATE"), "\(lines[5])")
        #expect(lines[6].hasPrefix("Near-duplicates: only 5 popular covers"), "\(lines[6])")
    }
}
