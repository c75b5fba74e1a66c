import Tensors

/// A cover's dominant colours: seeded k-means in CIELAB.
///
/// 1. Up to `sampleLimit` pixels are drawn (with `Tensors.SeededGenerator`; all pixels if fewer).
/// 2. k-means++ picks the initial centres: each next centre is a sample drawn with probability
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
        var centres = initialCentres(samples, rng: &rng)
        centres = refine(centres, samples: samples)
        centres = merged(centres, samples: samples)
        return swatches(centres, lab: lab, pixels: pixels)
    }

    /// k-means++ seeding.
    private func initialCentres(_ samples: [LabColour], rng: inout SeededGenerator) -> [LabColour] {
        var centres = [samples[rng.uniformInt(below: samples.count)]]
        var nearest = samples.map { $0.squaredDistance(to: centres[0]) }
        while centres.count < colours {
            let total = nearest.reduce(0, +)
            guard total > 0 else { break }           // every sample sits on a centre already
            var target = rng.uniformDouble() * total
            var chosen = samples.count - 1
            for (i, d) in nearest.enumerated() {
                target -= d
                if target < 0, d > 0 { chosen = i; break }
            }
            let centre = samples[chosen]
            centres.append(centre)
            for i in samples.indices { nearest[i] = min(nearest[i], samples[i].squaredDistance(to: centre)) }
        }
        return centres
    }

    /// Lloyd iterations; a centre that loses all its samples is dropped.
    private func refine(_ start: [LabColour], samples: [LabColour]) -> [LabColour] {
        var centres = start
        var assignment = [Int](repeating: -1, count: samples.count)
        for _ in 0..<maxIterations {
            var changed = false
            for (i, s) in samples.enumerated() {
                let c = Self.nearest(s, in: centres)
                if c != assignment[i] { assignment[i] = c; changed = true }
            }
            if !changed { break }
            let (means, counts) = Self.means(samples, assignment: assignment, clusters: centres.count)
            let kept = centres.indices.filter { counts[$0] > 0 }
            if kept.count != centres.count {
                centres = kept.map { means[$0] }
                assignment = [Int](repeating: -1, count: samples.count)   // indices moved: reassign
            } else {
                centres = means
            }
        }
        return centres
    }

    /// Repeatedly merges the closest pair of centres while it is nearer than `mergeDistance`.
    private func merged(_ start: [LabColour], samples: [LabColour]) -> [LabColour] {
        var centres = start
        var sizes = Self.means(samples, assignment: samples.map { Self.nearest($0, in: centres) },
                               clusters: centres.count).counts.map(Double.init)
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
        for (i, colour) in lab.enumerated() {
            let c = Self.nearest(colour, in: centres)
            counts[c] += 1
            sums[c].0 += Int(pixels[i * 3]); sums[c].1 += Int(pixels[i * 3 + 1]); sums[c].2 += Int(pixels[i * 3 + 2])
        }
        func mean(_ sum: Int, _ n: Int) -> UInt8 { UInt8((Double(sum) / Double(n)).rounded()) }
        return centres.indices.filter { counts[$0] > 0 }.map { c in
            PaletteSwatch(lab: centres[c], red: mean(sums[c].0, counts[c]), green: mean(sums[c].1, counts[c]),
                          blue: mean(sums[c].2, counts[c]), share: Double(counts[c]) / Double(lab.count))
        }.sorted { ($0.share, $0.lab.l) > ($1.share, $1.lab.l) }
    }

    private static func nearest(_ colour: LabColour, in centres: [LabColour]) -> Int {
        var best = 0, bestDistance = Double.infinity
        for (i, c) in centres.enumerated() {
            let d = colour.squaredDistance(to: c)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    private static func means(_ samples: [LabColour], assignment: [Int], clusters: Int)
        -> (means: [LabColour], counts: [Int]) {
        var sums = [LabColour](repeating: LabColour(l: 0, a: 0, b: 0), count: clusters)
        var counts = [Int](repeating: 0, count: clusters)
        for (s, c) in zip(samples, assignment) {
            sums[c].l += s.l; sums[c].a += s.a; sums[c].b += s.b
            counts[c] += 1
        }
        let means = sums.indices.map { i in
            counts[i] == 0 ? sums[i] : LabColour(l: sums[i].l / Double(counts[i]), a: sums[i].a / Double(counts[i]),
                                                 b: sums[i].b / Double(counts[i]))
        }
        return (means, counts)
    }
}
