import Foundation
import Support
import Testing
@testable import Imaging

/// Each colour statistic against values computed by hand on tiny images.
@Suite struct ColourStatisticsTests {
    private func image(_ width: Int, _ height: Int, _ colours: [(UInt8, UInt8, UInt8)]) -> RGBImage {
        RGBImage(width: width, height: height, pixels: colours.flatMap { [$0.0, $0.1, $0.2] })
    }

    @Test func brightnessAndContrastAreMeanAndDeviationOfLightness() {
        // L* 0 and 100 → mean 50, population σ 50.
        let stats = ColourStatistics(measuring: image(2, 1, [(0, 0, 0), (255, 255, 255)]))
        #expect(abs(stats.brightness - 50) < 1e-4, "brightness \(stats.brightness)")
        #expect(abs(stats.contrast - 50) < 1e-4, "contrast \(stats.contrast)")
        let flat = ColourStatistics(measuring: RGBImage(width: 3, height: 3, fill: (90, 140, 30)))
        #expect(flat.contrast < 1e-9)
    }

    @Test func saturationIsMeanHSVSaturation() {
        // red 1, grey 0, (200,100,100) 0.5, black 0 → 0.375.
        let pixels = image(4, 1, [(255, 0, 0), (128, 128, 128), (200, 100, 100), (0, 0, 0)])
        #expect(abs(ColourStatistics.saturation(pixels) - 0.375) < 1e-12)
    }

    @Test func colourfulnessFollowsHaslerSusstrunk() {
        // red, green: rg = ±255 (μ 0, σ 255); yb = 127.5 both (μ 127.5, σ 0) → 255 + 0.3·127.5 = 293.25.
        let redGreen = image(2, 1, [(255, 0, 0), (0, 255, 0)])
        #expect(abs(ColourStatistics.colourfulness(redGreen) - 293.25) < 1e-9)
        #expect(ColourStatistics.colourfulness(RGBImage(width: 4, height: 4, fill: (80, 80, 80))) == 0)
    }

    @Test func edgeDensityCountsSobelResponsesOverTheThreshold() {
        // 6×6, left three columns black, right three white. Interior 4×4 pixels; Sobel gx = 4·255 at
        // x = 2 and x = 3, 0 at x = 1 and x = 4 → 8 of 16.
        var split = RGBImage(width: 6, height: 6)
        for y in 0..<6 { for x in 3..<6 { split[x, y] = (255, 255, 255) } }
        #expect(ColourStatistics.edgeDensity(split, threshold: 128) == 0.5)
        // A step of 31 levels (gradient 124) stays under 128; 33 levels (132) passes.
        var faint = RGBImage(width: 6, height: 6, fill: (100, 100, 100))
        for y in 0..<6 { for x in 3..<6 { faint[x, y] = (131, 131, 131) } }
        #expect(ColourStatistics.edgeDensity(faint, threshold: 128) == 0)
        for y in 0..<6 { for x in 3..<6 { faint[x, y] = (133, 133, 133) } }
        #expect(ColourStatistics.edgeDensity(faint, threshold: 128) == 0.5)
    }

    @Test func backgroundShareCountsFlatBlocks() {
        // 16×8 (+ a 4-pixel-wide partial column of blocks): left 8×8 flat blue, middle 8×8
        // black/white checkerboard, right 4×8 flat grey → (64 + 32) / 160 = 0.6.
        var picture = RGBImage(width: 20, height: 8, fill: (30, 60, 200))
        for y in 0..<8 { for x in 8..<16 where (x + y) % 2 == 0 { picture[x, y] = (255, 255, 255) } }
        for y in 0..<8 { for x in 8..<16 where (x + y) % 2 == 1 { picture[x, y] = (0, 0, 0) } }
        for y in 0..<8 { for x in 16..<20 { picture[x, y] = (128, 128, 128) } }
        let stats = ColourStatistics(measuring: picture)
        #expect(abs(stats.backgroundShare - 0.6) < 1e-12, "background share \(stats.backgroundShare)")
    }

    @Test func largeImagesAreMeasuredAtTheAnalysisSize() {
        let big = RGBImage(width: 1000, height: 500, fill: (10, 20, 30))
        let small = ColourStatistics.analysisImage(big, side: 256)
        #expect(small.width == 256 && small.height == 128)
        #expect(ColourStatistics.analysisImage(small, side: 256) == small)
    }

    @Test func emptyImageGivesZeros() {
        let stats = ColourStatistics(measuring: RGBImage(width: 0, height: 0))
        #expect(stats.brightness == 0 && stats.contrast == 0 && stats.edgeDensity == 0 && stats.palette.isEmpty)
    }

    @Test func referenceCoverGivesPlausibleNumbersAndRoundTripsThroughJSON() throws {
        let stats = ColourStatistics(measuring: try ReferenceImage.portrait.pixels())
        #expect((0...100).contains(stats.brightness) && stats.contrast > 0)
        #expect((0...1).contains(stats.saturation) && (0...1).contains(stats.edgeDensity))
        #expect((0...1).contains(stats.backgroundShare) && stats.colourfulness > 0)
        #expect((1...6).contains(stats.palette.count))
        #expect(abs(stats.palette.map(\.share).reduce(0, +) - 1) < 1e-9)
        let decoded = try JSONDecoder().decode(ColourStatistics.self, from: try JSONEncoder().encode(stats))
        #expect(decoded == stats)
    }

    /// The remembered conversions give each pixel's own: images of 40,000 pixels drawn from 3, 500,
    /// 20,000 or (almost surely) 40,000 different colours, so slots are reused and overwritten.
    @Test(arguments: [3, 500, 20_000, 1 << 24])
    func labPixelsEqualEachPixelConverted(colours: Int) {
        var generator = SeededGenerator(seed: UInt64(colours))
        let palette = (0 ..< min(colours, 40_000)).map { _ in (UInt8(truncatingIfNeeded: generator.next()),
                                                               UInt8(truncatingIfNeeded: generator.next()),
                                                               UInt8(truncatingIfNeeded: generator.next())) }
        var pixels = [UInt8]()
        for _ in 0 ..< 40_000 {
            let (r, g, b) = palette[generator.uniformInt(below: palette.count)]
            pixels += [r, g, b]
        }
        let image = RGBImage(width: 250, height: 160, pixels: pixels)
        let ours = ColourStatistics.labPixels(image)
        let each = (0 ..< 40_000).map { LabColour(red: pixels[$0 * 3], green: pixels[$0 * 3 + 1], blue: pixels[$0 * 3 + 2]) }
        let differing = zip(ours, each).filter { $0 != $1 }.count
        #expect(ours.count == each.count && differing == 0, "\(differing) of 40,000 pixels differ")
    }

    /// `flatShare` sums each tile where it lies in the Lab array; the definition copies each tile out
    /// and sums the copy. The same bits, on images with partial tiles at the right and bottom.
    @Test func flatShareMatchesTheCopiedTileDefinition() throws {
        func definition(_ lab: [LabColour], width: Int, height: Int, block: Int, flatness: Double) -> Double {
            var flatPixels = 0
            for top in stride(from: 0, to: height, by: block) {
                for left in stride(from: 0, to: width, by: block) {
                    var tile: [LabColour] = []
                    for y in top ..< min(top + block, height) { for x in left ..< min(left + block, width) { tile.append(lab[y * width + x]) } }
                    let n = Double(tile.count)
                    let mean = LabColour(l: tile.reduce(0) { $0 + $1.l } / n, a: tile.reduce(0) { $0 + $1.a } / n,
                                         b: tile.reduce(0) { $0 + $1.b } / n)
                    if (tile.reduce(0) { $0 + $1.squaredDistance(to: mean) } / n).squareRoot() <= flatness { flatPixels += tile.count }
                }
            }
            return Double(flatPixels) / Double(width * height)
        }
        for reference in ReferenceImage.all.prefix(4) {
            let image = ColourStatistics.analysisImage(try reference.pixels(), side: 100)
            let lab = ColourStatistics.labPixels(image)
            for (block, flatness) in [(8, 3.0), (5, 6.0), (3, 1.0)] {
                let share = ColourStatistics.flatShare(lab, width: image.width, height: image.height, block: block, flatness: flatness)
                let expected = definition(lab, width: image.width, height: image.height, block: block, flatness: flatness)
                #expect(share.bitPattern == expected.bitPattern, "\(reference), block \(block): \(share) against \(expected)")
            }
        }
    }
}
