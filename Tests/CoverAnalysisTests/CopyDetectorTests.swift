import Foundation
import Imaging
import Support
import Testing
import Tensors
@testable import CoverAnalysis

/// The copy detector's calibration: thresholds learned from how close the popular covers come to
/// each other, so a crowded set raises them and an edited copy still stands out.
@Suite struct CopyDetectorTests {
    /// `count` unit descriptors around one shared direction (one genre's template), each with its own
    /// random part: pairwise cosines near `1 - spread²`-ish, all high.
    static func crowdedSet(count: Int, dimension: Int = 64, spread: Float = 0.3, seed: UInt64 = 1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let template = (0..<dimension).map { _ in rng.uniformFloat(-1, 1) }
        var rows = [Float]()
        for _ in 0..<count {
            rows += template.map { $0 + spread * Float(rng.normal()) }
        }
        return SimilaritySearch.normalised(Tensor(shape: [count, dimension], storage: rows))
    }

    static func row(_ t: Tensor, _ i: Int) -> Tensor { t.slice(batch: i..<i + 1) }

    @Test func distinctCoversAtHighSimilarityAreNotFlagged() throws {
        let all = Self.crowdedSet(count: 1300)
        let detector = CopyDetector(popular: all.slice(batch: 0..<1200))
        #expect(detector.calibration.source == .popularSet)
        let found = detector.judge(all.slice(batch: 1200..<1300))
        let best = found.map(\.similarity).max() ?? 0
        // Every distinct cover is close to some popular one (an absolute 0.8 cut would flag them all) …
        #expect(found.allSatisfy { $0.similarity > 0.8 }, "lowest best match \(found.map(\.similarity).min() ?? 0)")
        // … and the calibration, which saw such pairs among the popular covers, flags none.
        #expect(found.filter(\.isCopy).isEmpty, "flagged \(found.filter(\.isCopy).count) of 100; best \(best), threshold \(detector.calibration.threshold)")
    }

    @Test func aSlightlyChangedCopyInACrowdedSetIsFlagged() throws {
        let popular = Self.crowdedSet(count: 1200)
        let detector = CopyDetector(popular: popular)
        // Popular cover 7 moved a little (as a re-save moves a descriptor): cosine about 0.99 to it.
        var rng = SeededGenerator(seed: 5)
        let copy = Tensor(shape: [1, 64], storage: Self.row(popular, 7).storage.map { $0 + 0.012 * Float(rng.normal()) })
        let evidence = try #require(detector.judge(copy).first)
        #expect(evidence.popularIndex == 7)
        #expect(evidence.isCopy, "similarity \(evidence.similarity), margin \(evidence.margin); thresholds \(detector.calibration)")
    }

    @Test func fewPopularCoversFallBackToTheFixedThresholds() {
        let detector = CopyDetector(popular: Self.crowdedSet(count: 40))
        #expect(detector.calibration.source == .fixed)
        #expect(detector.calibration.threshold == CopyCalibration.fixedThreshold)
        #expect(detector.calibration.marginThreshold == CopyCalibration.fixedMarginThreshold)
        #expect(detector.calibration.medianNearest == nil)
    }

    @Test func theTailThresholdIsExceededByTheAskedShareOfAnExponentialTail() {
        // Values 0.5 + Exp(mean 0.01): the share above t is exp(-(t - 0.5) / 0.01) overall.
        var rng = SeededGenerator(seed: 3)
        let values = (0..<200_000).map { _ in 0.5 - 0.01 * log(1 - rng.uniformDouble()) }
        let t = CopyCalibration.tailThreshold(values, share: 0.001)
        #expect(abs(t - (0.5 + 0.01 * log(1000))) < 0.003, "threshold \(t)")
    }
}

/// The same through the real network and the scorer: a cover that was cropped and re-encoded is
/// flagged as a copy of its original; distinct covers are not.
@Suite(.serialized) struct CopyDetectionScoringTests {
    @Test func aCroppedReEncodedCopyIsFlaggedAndNewDesignsAreNot() throws {
        let folders = try ScoringFixtures.Folders()
        for i in 0..<8 { try folders.write(ScoringFixtures.cover(seed: UInt64(i)), "popular/cover \(i).jpg") }
        let original = try ImageDecoder.decode(contentsOf: folders.url("popular/cover 3.jpg")).image
        try folders.write(CoverEdit.centralCrop(original, fraction: 0.95), "candidates/copy of 3.jpg", quality: 60)
        try folders.write(ScoringFixtures.cover(seed: 100), "candidates/new A.jpg")
        try folders.write(ScoringFixtures.cover(seed: 101), "candidates/new B.jpg")
        let result = try Scorer(model: try ScoringFixtures.pretrainedModel(), store: nil)
            .score(ScoreRequest(popular: folders.url("popular"), candidates: folders.url("candidates")))

        #expect(result.settings.copyDetection?.source == .fixed)   // 8 popular covers: too few to learn from
        let copy = try #require(result.candidates.first { $0.file == "copy of 3.jpg" })
        let check = try #require(copy.copyCheck)
        #expect(check.file == "cover 3.jpg")
        #expect(copy.nearDuplicate, "similarity \(check.similarity), margin \(check.margin)")
        #expect(copy.matches.first { $0.file == "cover 3.jpg" }?.nearDuplicate == true)
        for other in result.candidates where other.file != "copy of 3.jpg" {
            #expect(!other.nearDuplicate, "\(other.file) flagged: \(String(describing: other.copyCheck))")
        }
    }
}
