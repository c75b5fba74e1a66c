import Rendering
import Testing

@Suite struct NiceTicksTests {
    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (lo, hi) in [(0.0, 1.0), (0.13, 0.87), (-3.2, 47.0), (1.0, 12.0), (0.2412, 0.2419), (1200.0, 98_000.0)] {
            let ticks = NiceTicks(lower: lo, upper: hi, maxCount: 6)
            let mantissa = ticks.step / pow(10, log10(ticks.step).rounded(.down))
            #expect([1.0, 2.0, 5.0].contains { abs($0 - mantissa) < 1e-9 }, "step \(ticks.step) for \(lo)…\(hi)")
            #expect(ticks.values.count <= 6 && ticks.values.count >= 2, "\(ticks.values.count) ticks for \(lo)…\(hi)")
            #expect(ticks.domain.lowerBound <= lo && ticks.domain.upperBound >= hi, "domain \(ticks.domain) covers data")
        }
    }

    @Test func unitIntervalGetsTenthsOrFifths() {
        let ticks = NiceTicks(lower: 0, upper: 1, maxCount: 6)
        #expect(ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1.0], "\(ticks.values)")
        #expect(ticks.values.map(ticks.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func epochsStayIntegers() {
        let ticks = NiceTicks(lower: 1, upper: 3, maxCount: 8, integersOnly: true)
        #expect(ticks.step == 1, "step \(ticks.step)")
        #expect(ticks.values.map(ticks.label) == ["1", "2", "3"])
    }

    @Test func negativeLabelsUseATrueMinus() {
        let ticks = NiceTicks(lower: -1, upper: 1, maxCount: 5)
        #expect(ticks.label(-0.5) == "\u{2212}0.5")
    }

    @Test func flatDataStillGetsAnAxis() {
        let ticks = NiceTicks(lower: 0.5, upper: 0.5)
        #expect(ticks.domain.lowerBound < 0.5 && ticks.domain.upperBound > 0.5, "domain \(ticks.domain)")
    }
}

@Suite struct ColourMapTests {
    /// End points of matplotlib's `_viridis_data` and `_turbo_data`.
    @Test func tablesMatchMatplotlibEnds() {
        #expect(ColourMap.viridis.colour(at: 0) == Colour(red: Double(Float(0.267004)), green: Double(Float(0.004874)), blue: Double(Float(0.329415))))
        #expect(ColourMap.viridis.colour(at: 1) == Colour(red: Double(Float(0.993248)), green: Double(Float(0.906157)), blue: Double(Float(0.143936))))
        let hot = ColourMap.turbo.bytes(at: 1)
        #expect(hot.r > 100 && hot.g < 30 && hot.b < 20, "turbo's top is dark red, got \(hot)")
    }

    @Test func lookupClampsAndUsesMatplotlibIndexing() {
        #expect(ColourMap.viridis.colour(at: -3) == ColourMap.viridis.colour(at: 0))
        #expect(ColourMap.viridis.colour(at: 7) == ColourMap.viridis.colour(at: 1))
        // index = floor(t × 256): 0.5 → entry 128, 127.9/256 → entry 127.
        #expect(ColourMap.viridis.colour(at: 0.5) != ColourMap.viridis.colour(at: 127.9 / 256))
        #expect(ColourMap.viridis.colour(at: 0.5) == ColourMap.viridis.colour(at: 128.5 / 256))
    }

    @Test func viridisGetsLighterAlongTheScale() {
        let lum = stride(from: 0.0, through: 1.0, by: 0.1).map { ColourMap.viridis.colour(at: $0).relativeLuminance }
        #expect(zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 }, "viridis luminance must rise: \(lum)")
    }
}

import Foundation
