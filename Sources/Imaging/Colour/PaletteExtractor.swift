import CColour
import Support

/// A cover's dominant colours: seeded k-means in CIELAB.
///
/// 1. Up to `sampleLimit` pixels are drawn (with `Support.SeededGenerator`; all pixels if fewer).
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
        palette(of: PixelSource(images: [image]))
    }

    /// The palette of several images taken together: the same swatches as the palette of one image
    /// made by stacking them top to bottom, without making it. A set of 100,000 cover thumbnails
    /// (48×72) would be a 1 GB mosaic, and 8 GB more as Lab colours.
    public func palette(of images: [RGBImage]) -> [PaletteSwatch] {
        palette(of: PixelSource(images: images))
    }

    /// `lab` [N] the pixels in Lab, `pixels` [N * 3] the same pixels in sRGB.
    func palette(lab: [LabColour], pixels: [UInt8]) -> [PaletteSwatch] {
        palette(of: PixelSource(pixels: pixels, lab: lab))
    }

    private func palette(of source: PixelSource) -> [PaletteSwatch] {
        let n = source.count
        guard n > 0 else { return [] }
        var rng = SeededGenerator(seed: seed)
        let samples = n <= sampleLimit ? (0..<n).map(source.lab) : (0..<sampleLimit).map { _ in source.lab(rng.uniformInt(below: n)) }
        let kMeans = KMeans(maxIterations: maxIterations, emptyClusters: .drop, stopsWhenCovered: true)
        let centres = kMeans.cluster(LabPoints(colours: samples), k: colours, generator: &rng).centres
        return swatches(merged(centres, samples: samples), source: source)
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

    /// Every pixel to its nearest centre: each swatch's share and mean sRGB colour.
    private func swatches(_ centres: [LabColour], source: PixelSource) -> [PaletteSwatch] {
        var counts = [Int](repeating: 0, count: centres.count)
        var sums = [(Int, Int, Int)](repeating: (0, 0, 0), count: centres.count)
        func tally(_ c: Int, _ r: UInt8, _ g: UInt8, _ b: UInt8) {
            counts[c] += 1
            sums[c].0 += Int(r); sums[c].1 += Int(g); sums[c].2 += Int(b)
        }
        if let labs = source.labs {
            // One image's colours are all at hand: the C search takes them four at a time.
            var nearest = [Int](repeating: 0, count: labs.count)
            _ = Self.nearestCentres(of: labs, among: centres, into: &nearest)
            let p = source.firstImagePixels
            for (i, c) in nearest.enumerated() { tally(c, p[i * 3], p[i * 3 + 1], p[i * 3 + 2]) }
        } else {
            // Many images (a set's thumbnails): one pixel at a time, no array as long as all of them.
            for i in 0..<source.count {
                let colour = source.lab(i)
                let (r, g, b) = source.rgb(i)
                tally(KMeans.nearest(in: centres) { colour.squaredDistance(to: $0) }, r, g, b)
            }
        }
        func mean(_ sum: Int, _ n: Int) -> UInt8 { UInt8((Double(sum) / Double(n)).rounded()) }
        return centres.indices.filter { counts[$0] > 0 }.map { c in
            PaletteSwatch(lab: centres[c], red: mean(sums[c].0, counts[c]), green: mean(sums[c].1, counts[c]),
                          blue: mean(sums[c].2, counts[c]), share: Double(counts[c]) / Double(source.count))
        }.sorted { ($0.share, $0.lab.l) > ($1.share, $1.lab.l) }
    }

    /// Pixels numbered across one or more images as if stacked, read where they lie; Lab colours
    /// come from a caller's array or are converted on demand (the same conversion either way).
    struct PixelSource {
        private let images: [[UInt8]]
        /// Pixels per image when all have the same size, else nil (then `offsets` finds the image).
        private let perImage: Int?
        private let offsets: [Int]
        /// The Lab colours when a caller gave them (one image), else nil.
        let labs: [LabColour]?
        let count: Int

        init(images: [RGBImage]) {
            self.images = images.map(\.pixels)
            let sizes = images.map { $0.width * $0.height }
            perImage = Set(sizes).count <= 1 ? sizes.first ?? 0 : nil
            offsets = sizes.reduce(into: [0]) { $0.append($0.last! + $1) }
            count = offsets.last!
            labs = nil
        }

        init(pixels: [UInt8], lab: [LabColour]) {
            images = [pixels]
            perImage = lab.count
            offsets = [0, lab.count]
            count = lab.count
            labs = lab
        }

        /// The pixels of the first (with `labs`, the only) image.
        var firstImagePixels: [UInt8] { images[0] }

        func rgb(_ i: Int) -> (UInt8, UInt8, UInt8) {
            let (image, j) = locate(i)
            let p = images[image]
            return (p[j * 3], p[j * 3 + 1], p[j * 3 + 2])
        }

        func lab(_ i: Int) -> LabColour {
            if let labs { return labs[i] }
            let (r, g, b) = rgb(i)
            return LabColour(red: r, green: g, blue: b)
        }

        private func locate(_ i: Int) -> (image: Int, pixel: Int) {
            if let perImage { return perImage == 0 ? (0, i) : (i / perImage, i % perImage) }
            var (low, high) = (0, offsets.count - 1)   // the last offset ≤ i
            while high - low > 1 {
                let mid = (low + high) / 2
                if offsets[mid] <= i { low = mid } else { high = mid }
            }
            return (low, i - offsets[low])
        }
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
        func assignNearest(_ centres: [LabColour], to assignments: inout [Int]) -> Bool {
            nearestCentres(of: colours, among: centres, into: &assignments)
        }
    }

    /// `cl_nearest_lab`: the nearest of `centres` to every colour, into `assignments` (as many);
    /// whether any changed. The same answer as `KMeans.nearest` for each colour in turn.
    static func nearestCentres(of colours: [LabColour], among centres: [LabColour], into assignments: inout [Int]) -> Bool {
        precondition(assignments.count == colours.count && MemoryLayout<LabColour>.stride == 3 * MemoryLayout<Double>.stride)
        return colours.withUnsafeBytes { colourBytes in
            centres.withUnsafeBytes { centreBytes in
                assignments.withUnsafeMutableBufferPointer { out in
                    cl_nearest_lab(colourBytes.baseAddress?.assumingMemoryBound(to: Double.self), colours.count,
                                   centreBytes.baseAddress?.assumingMemoryBound(to: Double.self), centres.count,
                                   out.baseAddress) != 0
                }
            }
        }
    }
}
