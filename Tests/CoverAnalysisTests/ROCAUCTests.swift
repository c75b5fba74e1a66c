import Testing
@testable import CoverAnalysis

@Suite struct ROCAUCTests {
    @Test func perfectSeparationIsOne() {
        #expect(rocAUC(scores: [-2, -1, 1, 2], positives: [false, false, true, true]) == 1)
    }

    @Test func reversedRankingIsZero() {
        #expect(rocAUC(scores: [-2, -1, 1, 2], positives: [true, true, false, false]) == 0)
    }

    @Test func allTiedIsOneHalf() {
        #expect(rocAUC(scores: [0.3, 0.3, 0.3, 0.3, 0.3], positives: [true, false, true, false, false]) == 0.5)
    }

    @Test func scikitLearnDocumentationExample() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        #expect(rocAUC(scores: [0.1, 0.4, 0.35, 0.8], positives: [false, false, true, true]) == 0.75)
    }

    @Test func partialTiesCountOneHalf() {
        // Pairs (positive, negative): (1,1) tie ½, (1,2) 0, (3,1) 1, (3,2) 1 → 2.5 / 4.
        #expect(rocAUC(scores: [1, 1, 2, 3], positives: [false, true, false, true]) == 0.625)
    }

    @Test func undefinedWithOneClassOrNaN() {
        #expect(rocAUC(scores: [1, 2], positives: [true, true]) == nil)
        #expect(rocAUC(scores: [1, .nan], positives: [true, false]) == nil)
    }
}
