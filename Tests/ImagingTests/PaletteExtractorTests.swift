import Support
import Testing
@testable import Imaging

/// Seeded k-means palettes recover the colours an image was drawn from.
@Suite struct PaletteExtractorTests {
    static let colours: [(UInt8, UInt8, UInt8)] = [(200, 40, 40), (30, 90, 160), (240, 220, 120)]
    static let shares = [0.5, 0.3, 0.2]

    /// 60×40: the first 50 % of rows-major pixels colour 0, the next 30 % colour 1, the rest colour 2,
    /// each channel moved by seeded noise in −noise…noise.
    private func threeColourImage(noise: Int) -> RGBImage {
        var rng = SeededGenerator(seed: 99)
        var image = RGBImage(width: 60, height: 40)
        for i in 0 ..< 2400 {
            let c = Self.colours[i < 1200 ? 0 : i < 1920 ? 1 : 2]
            let jitter = { (v: UInt8) -> UInt8 in
                UInt8(clamping: Int(v) + rng.uniformInt(below: 2 * noise + 1) - noise)
            }
            image[i % 60, i / 60] = (jitter(c.0), jitter(c.1), jitter(c.2))
        }
        return image
    }

    @Test(arguments: [0, 4])
    func recoversThreeKnownColours(noise: Int) {
        let palette = PaletteExtractor(colours: 6, seed: 7).palette(of: threeColourImage(noise: noise))
        #expect(palette.count == 3, "\(palette.count) swatches: \(palette.map(\.hex))")
        for (c, share) in zip(Self.colours, Self.shares) {
            let truth = LabColour(red: c.0, green: c.1, blue: c.2)
            guard let match = palette.min(by: { $0.lab.distance(to: truth) < $1.lab.distance(to: truth) }) else {
                Issue.record("empty palette"); return
            }
            #expect(match.lab.distance(to: truth) < 3, "\(c): nearest swatch \(match.hex) ΔE \(match.lab.distance(to: truth))")
            #expect(abs(match.share - share) < 0.01, "\(c): share \(match.share), expected \(share)")
        }
        #expect(palette.map(\.share) == palette.map(\.share).sorted(by: >), "swatches not ordered by share")
    }

    @Test func nearIdenticalShadesAreMergedIntoOneSwatch() {
        let noisy = threeColourImage(noise: 4)
        let unmerged = PaletteExtractor(colours: 6, seed: 7, mergeDistance: 0).palette(of: noisy)
        #expect(unmerged.count == 6, "k-means alone should split the noisy fields into 6 clusters, got \(unmerged.count)")
        #expect(PaletteExtractor(colours: 6, seed: 7).palette(of: noisy).count == 3)
    }

    @Test func sameSeedSamePalette() throws {
        let noise = try ReferenceImage.all[1].pixels()
        let a = PaletteExtractor(colours: 8, seed: 3, sampleLimit: 1000).palette(of: noise)
        let b = PaletteExtractor(colours: 8, seed: 3, sampleLimit: 1000).palette(of: noise)
        #expect(a == b)
        #expect(a.count >= 2)
    }

    @Test func swatchHexIsUppercaseSixDigits() {
        let swatch = PaletteSwatch(lab: LabColour(l: 0, a: 0, b: 0), red: 10, green: 171, blue: 255, share: 1)
        #expect(swatch.hex == "#0AABFF")
    }

    /// Several images taken together give exactly the palette of one image that stacks them, which
    /// is how a set's palette used to be computed (a mosaic of every thumbnail, all in Lab at once).
    @Test(arguments: [[(48, 72), (48, 72), (48, 72), (48, 72)], [(48, 72), (30, 20), (1, 1), (64, 10)]])
    func imagesTakenTogetherMatchTheirMosaic(_ sizes: [(Int, Int)]) throws {
        var rng = SeededGenerator(seed: 5)
        let base = try ReferenceImage.all[2].pixels()   // rings: many hues
        let images = sizes.map { (w, h) -> RGBImage in
            var image = RGBImage(width: w, height: h)
            let (dx, dy) = (rng.uniformInt(below: base.width - w + 1), rng.uniformInt(below: base.height - h + 1))
            for y in 0..<h { for x in 0..<w { image[x, y] = base[dx + x, dy + y] } }
            return image
        }
        let stacked = images.flatMap(\.pixels)
        let width = sizes.allSatisfy { $0.0 == sizes[0].0 } ? sizes[0].0 : 1
        let mosaic = RGBImage(width: width, height: stacked.count / (3 * width), pixels: stacked)
        for (k, limit) in [(6, 4096), (8, 500), (3, 100_000)] {
            let extractor = PaletteExtractor(colours: k, seed: 11, sampleLimit: limit)
            let together = extractor.palette(of: images)
            #expect(together == extractor.palette(of: mosaic), "k \(k), sample limit \(limit): palettes differ")
            #expect(together.count >= 2)
        }
        #expect(PaletteExtractor().palette(of: [RGBImage]()).isEmpty)
    }

    /// The C search (`cl_nearest_lab`, four colours at a time) gives `KMeans.nearest`'s answer for
    /// every colour: ties between equal centres to the lower index, counts that leave a tail of one
    /// to three colours, more centres than a vector has lanes, and no colours at all.
    @Test func nearestCentresMatchOneAtATime() {
        var rng = SeededGenerator(seed: 41)
        func colour() -> LabColour {
            LabColour(l: Double(rng.uniformInt(below: 101)), a: Double(rng.uniformInt(below: 41)) - 20,
                      b: Double(rng.uniformInt(below: 41)) - 20)
        }
        for (n, k) in [(0, 3), (1, 1), (3, 6), (4, 6), (7, 2), (4_099, 6), (513, 12)] {
            let colours = (0..<n).map { _ in colour() }
            var centres = (0..<k).map { _ in colour() }
            if k > 2 { centres[k - 1] = centres[1] }   // a tie: the lower index must win
            var found = [Int](repeating: -1, count: n)
            let changed = PaletteExtractor.nearestCentres(of: colours, among: centres, into: &found)
            let expected = colours.map { c in KMeans.nearest(in: centres) { c.squaredDistance(to: $0) } }
            let differing = zip(found, expected).filter { $0 != $1 }.count
            #expect(differing == 0, "\(n) colours, \(k) centres: \(differing) assignments differ")
            #expect(changed == (n > 0))
            #expect(!PaletteExtractor.nearestCentres(of: colours, among: centres, into: &found), "nothing changes the second time")
        }
    }

    /// A palette from Lab colours given by the caller (`ColourStatistics`, through the C search) is
    /// the palette of the same image through the one-at-a-time search, swatch for swatch.
    @Test func paletteFromGivenLabMatchesPaletteOfTheImage() throws {
        for reference in ReferenceImage.all.prefix(4) {
            let image = try reference.pixels()
            for k in [3, 6, 8] {
                let extractor = PaletteExtractor(colours: k, seed: 7)
                #expect(extractor.palette(lab: ColourStatistics.labPixels(image), pixels: image.pixels) == extractor.palette(of: image),
                        "\(reference), k \(k)")
            }
        }
    }
}
