import Foundation
import Imaging
import Tensors

/// What the popular covers have in common, computed from the scanned covers (no decoding):
/// feature distributions, which features separate popular from other covers, palettes, style
/// clusters and the average popular cover.
struct CommonFeatureAnalysis {
    let seed: UInt64
    var compute: ComputeContext = .default

    /// Feature names as results and reports show them, in this order.
    static let featureNames = ["brightness", "contrast", "saturation", "colourfulness", "complexity", "background"]

    static func features(of s: ColourStatistics) -> [String: Double] {
        ["brightness": s.brightness, "contrast": s.contrast, "saturation": s.saturation,
         "colourfulness": s.colourfulness, "complexity": s.edgeDensity, "background": s.backgroundShare]
    }

    struct Output {
        var summary: CommonFeatures
        var centroids: Tensor?
        var compute: ComputeContext = .default

        /// The style cluster whose centroid is most similar to `embedding` [1, D].
        func nearestCluster(_ embedding: Tensor) -> Int? {
            guard let centroids, centroids.shape[0] > 0 else { return nil }
            let best = SimilaritySearch(popular: centroids, compute: compute).topMatches(for: embedding, k: 1)
            return best.first?.first.map { $0.index + 1 }
        }
    }

    /// - Parameter embeddings: the popular then the other covers' embeddings, L2-normalised, [P + O, D]
    ///   (`CoverEmbeddings.normalised`).
    func analyse(popular: [ScannedCover], other: [ScannedCover], embeddings all: Tensor) -> Output {
        func columns(_ covers: [ScannedCover]) -> [String: [Double]] {
            var out: [String: [Double]] = [:]
            for cover in covers { for (name, value) in Self.features(of: cover.statistics) { out[name, default: []].append(value) } }
            return out
        }
        let popularColumns = columns(popular), otherColumns = columns(other)
        let ranking = other.count >= 2 ? FeatureComparison.rank(popular: popularColumns, other: otherColumns) : []

        // Style clusters over every cover we know, so a cluster's popular share means something.
        let names = popular.map { "popular/" + $0.file } + other.map { "other/" + $0.file }
        let clustering = StyleClustering(seed: seed).cluster(normalised: all)
        let clusters = (0..<clustering.k).compactMap { c -> StyleCluster? in
            let members = clustering.members(of: c, normalisedPoints: all)
            guard !members.isEmpty else { return nil }
            let popularMembers = members.filter { $0 < popular.count }.count
            return StyleCluster(index: c + 1, size: members.count, popularShare: Double(popularMembers) / Double(members.count),
                                exemplars: members.prefix(4).map { names[$0] })
        }

        let summary = CommonFeatures(
            popularPalette: Self.palette(of: popular, seed: seed),
            otherPalette: other.isEmpty ? nil : Self.palette(of: other, seed: seed),
            popular: popularColumns.mapValues(FeatureSummary.init(values:)),
            other: other.isEmpty ? nil : otherColumns.mapValues(FeatureSummary.init(values:)),
            ranking: ranking, styleClusters: clusters,
            averageCover: Self.averageCover(popular).map(EncodedImage.init))
        return Output(summary: summary, centroids: clustering.centroids, compute: compute)
    }

    /// The palette of a whole set: the palette of every cover's thumbnail taken together (as one
    /// mosaic of them, read in place). Thumbnails of another size than the first are left out.
    static func palette(of covers: [ScannedCover], seed: UInt64) -> [Swatch] {
        guard let first = covers.first?.thumbnail else { return [] }
        let thumbnails = covers.map(\.thumbnail).filter { $0.width == first.width && $0.height == first.height }
        var options = ColourStatistics.Options()
        options.seed = seed
        return PaletteExtractor(colours: options.paletteColours, seed: seed).palette(of: thumbnails).map(Swatch.init)
    }

    /// Pixel-wise mean of the thumbnails (all the same size), rounded.
    static func averageCover(_ covers: [ScannedCover]) -> RGBImage? {
        guard let first = covers.first?.thumbnail else { return nil }
        let same = covers.map(\.thumbnail).filter { $0.width == first.width && $0.height == first.height }
        var sums = [Int](repeating: 0, count: first.pixels.count)
        for image in same { for i in sums.indices { sums[i] += Int(image.pixels[i]) } }
        let n = same.count
        return RGBImage(width: first.width, height: first.height, pixels: sums.map { UInt8(($0 + n / 2) / n) })
    }
}
