import Foundation
import Testing
@testable import CoverSynth

/// Popular and other covers must differ in ways a model can learn, but not perfectly.
@Suite struct CoverClassTests {
    let generator = try! CoverGenerator(width: 200, height: 300)

    func contrasts(_ coverClass: CoverClass, salt: UInt64) throws -> [Double] {
        try (0..<40).map { i in
            let style = CoverStyle.allCases[i % CoverStyle.allCases.count]
            let image = try generator.render(seed: salt &+ UInt64(i), style: style, coverClass: coverClass).image
            return luminanceDeviation(image)
        }
    }

    @Test func popularCoversHaveMoreContrastOnAverageButOverlap() throws {
        let popular = try contrasts(.popular, salt: 1000), other = try contrasts(.other, salt: 5000)
        let meanPopular = popular.reduce(0, +) / 40, meanOther = other.reduce(0, +) / 40
        #expect(meanPopular > meanOther * 1.1, "mean luminance std: popular \(meanPopular), other \(meanOther)")
        // Overlap: some other covers are more contrasted than some popular ones.
        let beaten = other.filter { $0 > popular.min()! }.count
        #expect(beaten >= 4, "only \(beaten) of 40 other covers beat the least contrasted popular one")
    }

    /// The hidden quality overlaps a little (about 2% of each class falls past the midpoint):
    /// most of the overlap a model meets comes from the random spread of each visual knob.
    @Test func qualityDistributionsOverlap() {
        let popular = (0..<1000).map { CoverDesign(seed: UInt64($0), style: .thriller, coverClass: .popular).quality }
        let other = (0..<1000).map { CoverDesign(seed: UInt64($0) + 10_000, style: .thriller, coverClass: .other).quality }
        let misplacedPopular = popular.filter { $0 < 0.51 }.count, misplacedOther = other.filter { $0 > 0.51 }.count
        #expect((5...100).contains(misplacedPopular), "\(misplacedPopular)/1000 popular covers below the midpoint")
        #expect((5...100).contains(misplacedOther), "\(misplacedOther)/1000 other covers above the midpoint")
    }

    /// `synth --class-gap 0.3` (a harder set, for comparing training methods): the class means move
    /// towards the midpoint, so many more covers fall past it; the default gap draws the same
    /// qualities as before the option existed.
    @Test func aSmallerClassGapOverlapsMore() {
        let popular = (0..<1000).map { CoverDesign(seed: UInt64($0), style: .thriller, coverClass: .popular, classGap: 0.3).quality }
        let other = (0..<1000).map { CoverDesign(seed: UInt64($0) + 10_000, style: .thriller, coverClass: .other, classGap: 0.3).quality }
        let mean = { (q: [Double]) in q.reduce(0, +) / Double(q.count) }
        #expect(abs(mean(popular) - 0.579) < 0.01 && abs(mean(other) - 0.441) < 0.01, "means \(mean(popular)), \(mean(other))")
        let misplaced = popular.filter { $0 < 0.51 }.count + other.filter { $0 > 0.51 }.count
        #expect(misplaced > 400, "\(misplaced)/2000 covers past the midpoint")
        #expect(CoverDesign(seed: 3, style: .romance, coverClass: .popular, classGap: 1).quality
                == CoverDesign(seed: 3, style: .romance, coverClass: .popular).quality)
        let unchanged = CoverDesign.qualityDistribution(.popular, classGap: 1)
        #expect(unchanged.mean == 0.74 && unchanged.deviation == 0.11)
    }
}
