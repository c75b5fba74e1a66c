import Tensors

/// A cover's dominant colours: seeded k-means in CIELAB.
///
/// 1. Up to `sampleLimit` pixels are drawn (with `Tensors.SeededGenerator`; all pixels if fewer).
/// 2. k-means++ (`KMeans`) picks the initial centres: each next centre is a sample drawn with probability
///    proportional to its squared distance to the nearest centre so far. When every sample already
///    coincides with a centre (an image of fewer than k colours) it stops early, so a three-colour
///    image yields three swatches, not k with duplicates.
/// 3. Lloyd iterations (assign to nearest centre, move centres to their means) until no sample
///    changes cluster, at most `maxIterations`.
/// 4. Centres closer than `mergeDistance` ΔE*76 are merged (weighted by size): k-means splits a
///    large, slightly noisy field into several near-identical shades, which a palette should show once.
/// 5. Every pixel of the image is assigned to its nearest centre for the shares and mean colours.
///
/// The same image, k and seed give the same palette, bit for bit.
public struct PaletteExtractor: Sendable {
    /// Number of clusters k (5–8 suits covers; fewer swatches come out for images with fewer colours).
    public var colours: Int
    public var seed: UInt64
    public var sampleLimit: Int
    public var maxIterations: Int
    /// Centres nearer than this (ΔE*76) become one swatch. 8 is clearly visible but "the same colour".
    public var mergeDistance: Double

    public init(colours: Int = 6, seed: UInt64 = 0, sampleLimit: Int = 4096, maxIterations: Int = 50,
                mergeDistance: Double = 8) {
        self.colours = max(1, colours)
        self.seed = seed
        self.sampleLimit = max(1, sampleLimit)
        self.maxIterations = max(1, maxIterations)
        self.mergeDistance = mergeDistance
    }

    /// The palette of `image`, largest share first. Empty for an empty image.
    public func palette(of image: RGBImage) -> [PaletteSwatch] {
        palette(lab: ColourStatistics.labPixels(image), pixels: image.pixels)
    }

    /// `lab` [N] the pixels in Lab, `pixels` [N * 3] the same pixels in sRGB.
    func palette(lab: [LabColour], pixels: [UInt8]) -> [PaletteSwatch] {
        guard !lab.isEmpty else { return [] }
        var rng = SeededGenerator(seed: seed)
        let samples = lab.count <= sampleLimit ? lab : (0..<sampleLimit).map { _ in lab[rng.uniformInt(below: lab.count)] }
        let kMeans = KMeans(maxIterations: maxIterations, emptyClusters: .drop, stopsWhenCovered: true)
        let centres = kMeans.cluster(LabPoints(colours: samples), k: colours, generator: &rng).centres
        return swatches(merged(centres, samples: samples), lab: lab, pixels: pixels)
    }

    /// Repeatedly merges the closest pair of centres while it is nearer than `mergeDistance`.
    private func merged(_ start: [LabColour], samples: [LabColour]) -> [LabColour] {
        var centres = start
        let points = LabPoints(colours: samples)
        var sizes = [Double](repeating: 0, count: centres.count)
        for i in samples.indices { sizes[KMeans.nearest(i, in: centres, space: points)] += 1 }
        while centres.count > 1 {
            var best = (i: 0, j: 0, d: Double.infinity)
            for i in centres.indices { for j in centres.indices where j > i {
                let d = centres[i].distance(to: centres[j])
                if d < best.d { best = (i, j, d) }
            } }
            guard best.d < mergeDistance else { break }
            let wi = max(sizes[best.i], 1), wj = max(sizes[best.j], 1), w = wi + wj
            let (p, q) = (centres[best.i], centres[best.j])
            centres[best.i] = LabColour(l: (p.l * wi + q.l * wj) / w, a: (p.a * wi + q.a * wj) / w, b: (p.b * wi + q.b * wj) / w)
            sizes[best.i] = sizes[best.i] + sizes[best.j]
            centres.remove(at: best.j)
            sizes.remove(at: best.j)
        }
        return centres
    }

    private func swatches(_ centres: [LabColour], lab: [LabColour], pixels: [UInt8]) -> [PaletteSwatch] {
        var counts = [Int](repeating: 0, count: centres.count)
        var sums = [(Int, Int, Int)](repeating: (0, 0, 0), count: centres.count)
        let points = LabPoints(colours: lab)
        for i in lab.indices {
            let c = KMeans.nearest(i, in: centres, space: points)
            counts[c] += 1
            sums[c].0 += Int(pixels[i * 3]); sums[c].1 += Int(pixels[i * 3 + 1]); sums[c].2 += Int(pixels[i * 3 + 2])
        }
        func mean(_ sum: Int, _ n: Int) -> UInt8 { UInt8((Double(sum) / Double(n)).rounded()) }
        return centres.indices.filter { counts[$0] > 0 }.map { c in
            PaletteSwatch(lab: centres[c], red: mean(sums[c].0, counts[c]), green: mean(sums[c].1, counts[c]),
                          blue: mean(sums[c].2, counts[c]), share: Double(counts[c]) / Double(lab.count))
        }.sorted { ($0.share, $0.lab.l) > ($1.share, $1.lab.l) }
    }

    /// Lab colours as k-means points: distances and means in Double, sums in sample order.
    struct LabPoints: KMeansSpace {
        var colours: [LabColour]
        var count: Int { colours.count }
        func centre(at i: Int) -> LabColour { colours[i] }
        func squaredDistance(_ i: Int, to centre: LabColour) -> Double { colours[i].squaredDistance(to: centre) }
        func emptySum() -> LabColour { LabColour(l: 0, a: 0, b: 0) }
        func add(_ i: Int, to sum: inout LabColour) {
            sum.l += colours[i].l; sum.a += colours[i].a; sum.b += colours[i].b
        }
        func mean(_ sum: LabColour, count: Int) -> LabColour {
            LabColour(l: sum.l / Double(count), a: sum.a / Double(count), b: sum.b / Double(count))
        }
    }
}
