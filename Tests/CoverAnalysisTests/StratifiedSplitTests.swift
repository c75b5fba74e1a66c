import Testing
@testable import CoverAnalysis

@Suite struct StratifiedSplitTests {
    // 30 negatives, 10 positives, interleaved.
    let labels: [Float] = (0..<40).map { $0 % 4 == 0 ? 1 : 0 }

    @Test func eachClassKeepsItsShare() {
        let split = StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 1)
        let validationPositives = split.validation.filter { labels[$0] == 1 }.count
        #expect(validationPositives == 2, "20 % of 10 positives")
        #expect(split.validation.count == 8, "20 % of 30 negatives + 20 % of 10 positives")
        #expect(Set(split.training).isDisjoint(with: split.validation))
        #expect((split.training + split.validation).sorted() == Array(0..<40))
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let a = StratifiedSplit(labels: labels, validationFraction: 0.25, seed: 5)
        #expect(a == StratifiedSplit(labels: labels, validationFraction: 0.25, seed: 5))
        #expect(a != StratifiedSplit(labels: labels, validationFraction: 0.25, seed: 6))
    }

    @Test func smallClassStillReachesBothSides() {
        let few: [Float] = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        let split = StratifiedSplit(labels: few, validationFraction: 0.1, seed: 0)
        #expect(split.validation.filter { few[$0] == 1 }.count == 1)
        #expect(split.training.filter { few[$0] == 1 }.count == 1)
    }

    @Test func zeroFractionKeepsEverythingForTraining() {
        let split = StratifiedSplit(labels: labels, validationFraction: 0, seed: 0)
        #expect(split.validation.isEmpty && split.training == Array(0..<40))
    }
}
