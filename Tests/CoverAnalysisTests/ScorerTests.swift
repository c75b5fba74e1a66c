import Foundation
import Imaging
import Networks
import Support
import Testing
import Tensors
@testable import CoverAnalysis

/// End to end through the real EfficientNet-Lite0 (run the tests in release; see README).
@Suite(.serialized) struct ScorerTests {
    /// popular/ holds eight generated covers; candidates/ holds a re-encoded copy of popular cover 3
    /// and two new designs.
    static func dataset() throws -> ScoringFixtures.Folders {
        let folders = try ScoringFixtures.Folders()
        for i in 0..<8 { try folders.write(ScoringFixtures.cover(seed: UInt64(i)), "popular/cover \(i).jpg") }
        let original = try ImageDecoder.decode(contentsOf: folders.url("popular/cover 3.jpg")).image
        try folders.write(original, "candidates/copy of 3.jpg", quality: 75)
        try folders.write(ScoringFixtures.cover(seed: 100), "candidates/new A.jpg")
        try folders.write(ScoringFixtures.cover(seed: 101), "candidates/new B.jpg")
        try Data("not an image".utf8).write(to: folders.url("popular/notes.jpg"))
        return folders
    }

    @Test func aReEncodedCopyIsTheTopMatchAndANearDuplicate() throws {
        let folders = try Self.dataset()
        let scorer = Scorer(model: try ScoringFixtures.pretrainedModel(), store: nil)
        let result = try scorer.score(ScoreRequest(popular: folders.url("popular"), candidates: folders.url("candidates")))
        let copy = try #require(result.candidates.first { $0.file == "copy of 3.jpg" })
        #expect(copy.matches.first?.file == "cover 3.jpg")
        #expect(copy.nearDuplicate, "cosine \(copy.matches.first?.cosine ?? 0)")
        for other in result.candidates where other.file != "copy of 3.jpg" {
            #expect(!other.nearDuplicate, "\(other.file) flagged with cosine \(other.matches.first?.cosine ?? 0)")
        }
        #expect(result.popularity == .similarity)   // ImageNet classifier, no popularity head
        // Without a head the score is the similarity itself: the mean cosine to the k nearest
        // popular covers (its matches), not its percentile / 100 (issue 13).
        for c in result.candidates {
            let mean = c.matches.map(\.cosine).reduce(0, +) / Double(c.matches.count)
            #expect(abs(c.popularity - mean) < 1e-5, "\(c.file): popularity \(c.popularity), mean match cosine \(mean)")
        }
        // The heatmap's grid holds each candidate's own matches at their cosines, among every other cell.
        let grid = try #require(result.matchSimilarities)
        for (row, c) in result.candidates.enumerated() {
            for m in c.matches {
                let column = try #require(grid.columns.firstIndex(of: m.file), "\(m.file) is not a heatmap column")
                #expect(abs(grid.values[row][column] - m.cosine) < 1e-5, "\(c.file) × \(m.file)")
            }
        }
        #expect(result.skipped.map(\.file) == ["notes.jpg"])
        #expect(result.skipped.first?.reason.contains("not a JPEG, PNG") == true)
        #expect(result.dataset.popularCount == 8 && result.dataset.candidateCount == 3)
    }

    @Test func aSecondRunDecodesNothingAndWritesTheSameBytes() throws {
        let folders = try Self.dataset()
        var model = try ScoringFixtures.pretrainedModel()
        // A popularity head (any fixed weights) so Grad-CAM runs and is cached too.
        var rng = SeededGenerator(seed: 9)
        model.backbone.classifier = Linear(weight: Tensor(shape: [1, 1280], storage: (0..<1280).map { _ in rng.uniformFloat(-0.05, 0.05) }),
                                           bias: Tensor(shape: [1], storage: [0]))
        let storeURL = folders.url("cache/embeddings.sqlite")
        let request = ScoreRequest(popular: folders.url("popular"), candidates: folders.url("candidates"))

        let first = try Scorer(model: model, store: EmbeddingStore(url: storeURL)).score(request)
        try first.write(to: folders.url("run1"))
        let store = try EmbeddingStore(url: storeURL)
        let second = try Scorer(model: model, store: store).score(request)
        try second.write(to: folders.url("run2"))

        #expect(store.misses == 0, "the second run missed \(store.misses) covers")
        // 9 popular files (one not an image) + 3 candidates, and the 11 images' copy descriptors.
        #expect(store.hits == 23)
        #expect(first.candidates.allSatisfy { $0.attention != nil })
        let a = try Data(contentsOf: folders.url("run1/results.json")), b = try Data(contentsOf: folders.url("run2/results.json"))
        #expect(a == b)
    }
}
