import Foundation
import Imaging

/// Everything `coverlens score` found, as written to `results.json` and read back by
/// `coverlens report` (which re-renders figures and pages without recomputing anything).
///
/// The schema is versioned: `schemaVersion` changes whenever a field changes meaning or goes
/// away, and readers refuse versions they do not know. Nothing time- or machine-dependent is
/// stored, so scoring the same folders twice gives byte-identical files.
///
/// Version 2 (issue 13) changed two meanings: style clusters are numbered from 1 (as the report
/// shows them; version 1 counted from 0), and without a trained head `popularity` is the mean
/// cosine to the top-k popular covers (version 1 stored its percentile / 100). Version 1 files are
/// still read, brought to version 2 on the way in (`AnalysisResult.upgradedFromVersion1`).
public struct AnalysisResult: Codable, Equatable, Sendable {
    public static let currentSchemaVersion = 2
    /// The oldest version `read(from:)` still accepts, upgrading it.
    public static let oldestReadableSchemaVersion = 1

    public var schemaVersion: Int = AnalysisResult.currentSchemaVersion
    /// "coverlens <version>".
    public var generator: String
    public var model: ModelSummary
    public var dataset: DatasetSummary
    public var settings: ScoreSettings
    /// Which popularity score the candidates carry, and a sentence saying what it means.
    public var popularity: PopularityMethod
    public var candidates: [CandidateResult]
    public var common: CommonFeatures
    /// Files that could not be used, each with the reason; the run went on without them.
    public var skipped: [SkippedFile]
    /// Every candidate's cosine to every popular cover that is any candidate's match (absent in
    /// results written before it was added).
    public var matchSimilarities: MatchSimilarities?

    public init(generator: String, model: ModelSummary, dataset: DatasetSummary, settings: ScoreSettings,
                popularity: PopularityMethod, candidates: [CandidateResult], common: CommonFeatures,
                skipped: [SkippedFile], matchSimilarities: MatchSimilarities? = nil) {
        self.generator = generator
        self.model = model
        self.dataset = dataset
        self.settings = settings
        self.popularity = popularity
        self.candidates = candidates
        self.common = common
        self.skipped = skipped
        self.matchSimilarities = matchSimilarities
    }
}

/// The similarity heatmap's grid, computed in full: rows are the candidates (in `candidates` order),
/// columns the popular covers that are among any candidate's top matches (first appearance order).
public struct MatchSimilarities: Codable, Equatable, Sendable {
    /// Popular cover paths, relative to the popular folder.
    public var columns: [String]
    /// `values[candidate][column]`, cosine similarity.
    public var values: [[Double]]

    public init(columns: [String], values: [[Double]]) {
        self.columns = columns
        self.values = values
    }
}

public struct ModelSummary: Codable, Equatable, Sendable {
    /// "efficientnet-lite0" or "resnet18".
    public var architecture: String
    /// The model file's name (not its full path: results are shared).
    public var file: String
    /// Hash of the weights and preprocessing; the embedding store's key.
    public var fingerprint: String
    /// JSON-compatible description of geometry, size and normalisation.
    public var preprocessing: String
    public var hasTrainedHead: Bool
    /// Validation metrics recorded when the head was trained, if any.
    public var validation: [String: Double]?
    /// How CoverLens trained the model (`CoverModel.trainingSummary`); nil for other models and older results.
    public var training: String?

    public init(architecture: String, file: String, fingerprint: String, preprocessing: String,
                hasTrainedHead: Bool, validation: [String: Double]? = nil, training: String? = nil) {
        self.training = training
        self.architecture = architecture
        self.file = file
        self.fingerprint = fingerprint
        self.preprocessing = preprocessing
        self.hasTrainedHead = hasTrainedHead
        self.validation = validation
    }
}

public struct DatasetSummary: Codable, Equatable, Sendable {
    /// Folder names as the user gave them (last path component only, for sharing), or
    /// `collection:NAME` for a collection in the shared store.
    public var popularFolder: String
    public var otherFolder: String?
    public var candidatesFolder: String
    public var popularCount: Int
    public var otherCount: Int
    public var candidateCount: Int
    /// Set when the popular (other) covers came from a collection larger than the sample limit:
    /// the set-wide analyses ran on a seeded sample of it, and `popularCount` (`otherCount`) is
    /// the sample's size. Absent otherwise, and in results written before collections.
    public var popularSample: SampleSummary?
    public var otherSample: SampleSummary?

    public init(popularFolder: String, otherFolder: String?, candidatesFolder: String,
                popularCount: Int, otherCount: Int, candidateCount: Int,
                popularSample: SampleSummary? = nil, otherSample: SampleSummary? = nil) {
        self.popularFolder = popularFolder
        self.otherFolder = otherFolder
        self.candidatesFolder = candidatesFolder
        self.popularCount = popularCount
        self.otherCount = otherCount
        self.candidateCount = candidateCount
        self.popularSample = popularSample
        self.otherSample = otherSample
    }
}

public struct ScoreSettings: Codable, Equatable, Sendable {
    public var topK: Int
    /// How the copy detector decided what counts as a near-duplicate (nil in results made without it).
    public var copyDetection: CopyCalibration?
    public var seed: UInt64

    public init(topK: Int = 5, copyDetection: CopyCalibration? = nil, seed: UInt64 = 0) {
        self.topK = topK
        self.copyDetection = copyDetection
        self.seed = seed
    }
}

public enum PopularityMethod: String, Codable, Equatable, Sendable {
    /// p(popular) from the model's trained one-logit head.
    case trainedHead = "trained-head"
    /// Mean cosine to the k nearest popular covers (the candidate's matches); its percentile among
    /// the popular covers' own values is `percentileAmongPopular`.
    case similarity = "similarity"

    public var explanation: String {
        switch self {
        case .trainedHead:
            "Popularity is the trained head's probability that the cover belongs with the popular set."
        case .similarity:
            "No trained head: popularity is the mean cosine similarity to the nearest popular covers; the percentile ranks it against the popular covers' own values."
        }
    }
}

public struct CandidateResult: Codable, Equatable, Sendable {
    /// Path relative to the candidates folder.
    public var file: String
    /// The popularity score (probability, or similarity score; see `AnalysisResult.popularity`).
    public var popularity: Double
    /// Share of popular covers scoring at or below this candidate, 0…100.
    public var percentileAmongPopular: Double
    /// The same among the other covers, when an other folder was given.
    public var percentileAmongOther: Double?
    public var matches: [MatchResult]
    /// True when the copy detector flags the candidate as an edited copy of `copyCheck.file`.
    public var nearDuplicate: Bool
    /// The copy detector's best match and its numbers, flagged or not (nil in results made without it).
    public var copyCheck: CopyCheck?
    /// Visual features by name (brightness, contrast, …).
    public var features: [String: Double]
    /// Each feature's percentile within the popular set, 0…100.
    public var featurePercentiles: [String: Double]
    public var palette: [Swatch]
    /// The number of the style cluster whose centroid is nearest (`StyleCluster.index`, counted
    /// from 1 as the report shows it), if clusters were found.
    public var styleCluster: Int?
    /// Where the model looks: a coarse heatmap in 0…1, row-major, if computed.
    public var attention: Heatmap?

    public init(file: String, popularity: Double, percentileAmongPopular: Double, percentileAmongOther: Double?,
                matches: [MatchResult], nearDuplicate: Bool, features: [String: Double],
                featurePercentiles: [String: Double], palette: [Swatch], styleCluster: Int?, attention: Heatmap?,
                copyCheck: CopyCheck? = nil) {
        self.copyCheck = copyCheck
        self.file = file
        self.popularity = popularity
        self.percentileAmongPopular = percentileAmongPopular
        self.percentileAmongOther = percentileAmongOther
        self.matches = matches
        self.nearDuplicate = nearDuplicate
        self.features = features
        self.featurePercentiles = featurePercentiles
        self.palette = palette
        self.styleCluster = styleCluster
        self.attention = attention
    }
}

/// The copy detector's finding for one candidate: its closest popular cover by copy descriptor
/// (`BandDescriptor`, not the style embedding), the runner-up's similarity, and the verdict.
public struct CopyCheck: Codable, Equatable, Sendable {
    /// Path relative to the popular folder.
    public var file: String
    public var similarity: Double
    public var secondSimilarity: Double
    public var isCopy: Bool

    public init(file: String, similarity: Double, secondSimilarity: Double, isCopy: Bool) {
        self.file = file
        self.similarity = similarity
        self.secondSimilarity = secondSimilarity
        self.isCopy = isCopy
    }

    /// How many times farther the second-best match is than the best (`CopyEvidence.distanceRatio`).
    public var margin: Double { CopyEvidence.distanceRatio(similarity, secondSimilarity) }
}

public struct MatchResult: Codable, Equatable, Sendable {
    /// Path relative to the popular folder.
    public var file: String
    public var cosine: Double
    /// True for the popular cover the copy detector says the candidate copies.
    public var nearDuplicate: Bool

    public init(file: String, cosine: Double, nearDuplicate: Bool) {
        self.file = file
        self.cosine = cosine
        self.nearDuplicate = nearDuplicate
    }
}

/// One colour of a palette: its sRGB hex code, CIELAB coordinates and share of the pixels.
public struct Swatch: Codable, Equatable, Sendable {
    public var hex: String
    public var lab: [Double]
    public var share: Double

    public init(hex: String, lab: [Double], share: Double) {
        self.hex = hex
        self.lab = lab
        self.share = share
    }
}

/// A small grid of values in 0…1 (e.g. Grad-CAM at the last feature map's resolution).
public struct Heatmap: Codable, Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        self.width = width
        self.height = height
        self.values = values
    }
}

/// What the popular covers have in common, and how they differ from the others.
public struct CommonFeatures: Codable, Equatable, Sendable {
    /// Palette of the popular set as a whole.
    public var popularPalette: [Swatch]
    public var otherPalette: [Swatch]?
    /// Summary statistics of every feature over the popular covers (and the others).
    public var popular: [String: FeatureSummary]
    public var other: [String: FeatureSummary]?
    /// Features ranked by how well they separate popular from other covers (largest |effect| first).
    public var ranking: [FeatureEffect]
    public var styleClusters: [StyleCluster]
    /// The pixel-wise mean of the popular covers' thumbnails.
    public var averageCover: EncodedImage?

    public init(popularPalette: [Swatch], otherPalette: [Swatch]?, popular: [String: FeatureSummary],
                other: [String: FeatureSummary]?, ranking: [FeatureEffect], styleClusters: [StyleCluster],
                averageCover: EncodedImage? = nil) {
        self.popularPalette = popularPalette
        self.otherPalette = otherPalette
        self.popular = popular
        self.other = other
        self.ranking = ranking
        self.styleClusters = styleClusters
        self.averageCover = averageCover
    }
}

/// A small RGB image carried inside results.json (base64 of the raw interleaved bytes).
public struct EncodedImage: Codable, Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var rgbBase64: String

    public init(_ image: RGBImage) {
        width = image.width
        height = image.height
        rgbBase64 = Data(image.pixels).base64EncodedString()
    }

    /// The image, or nil when the data does not match the size.
    public var image: RGBImage? {
        guard let data = Data(base64Encoded: rgbBase64), data.count == width * height * 3 else { return nil }
        return RGBImage(width: width, height: height, pixels: [UInt8](data))
    }
}

public struct FeatureSummary: Codable, Equatable, Sendable {
    public var mean: Double
    public var standardDeviation: Double
    public var quartiles: [Double]   // [q1, median, q3]
    /// Every value, sorted, so reports can draw distributions and compute percentiles.
    public var values: [Double]

    public init(values: [Double]) {
        let sorted = values.sorted()
        self.values = sorted
        let n = Double(max(sorted.count, 1))
        mean = sorted.reduce(0, +) / n
        let m = mean
        standardDeviation = (sorted.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n).squareRoot()
        quartiles = [0.25, 0.5, 0.75].map { Self.quantile(sorted, $0) }
    }

    /// Linear-interpolated quantile of sorted values (NumPy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// Share of values at or below `value`, 0…100 (ties count half, so the median scores 50).
    public func percentile(of value: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let below = values.filter { $0 < value }.count
        let equal = values.filter { $0 == value }.count
        return 100 * (Double(below) + 0.5 * Double(equal)) / Double(values.count)
    }
}

/// How strongly one feature separates popular from other covers.
public struct FeatureEffect: Codable, Equatable, Sendable {
    public var feature: String
    /// Cohen's d: (mean popular − mean other) / pooled standard deviation.
    public var effectSize: Double
    /// "higher" when popular covers tend to have more of it, else "lower".
    public var direction: String

    public init(feature: String, effectSize: Double) {
        self.feature = feature
        self.effectSize = effectSize
        self.direction = effectSize >= 0 ? "higher" : "lower"
    }
}

public struct StyleCluster: Codable, Equatable, Sendable {
    /// The cluster's number, counted from 1 (results.json, results.csv and the report agree).
    public var index: Int
    /// Covers in the cluster (popular and other).
    public var size: Int
    /// Share of the cluster's covers that are popular, 0…1.
    public var popularShare: Double
    /// Files nearest the centroid, best first (paths relative to their folder, prefixed by it).
    public var exemplars: [String]

    public init(index: Int, size: Int, popularShare: Double, exemplars: [String]) {
        self.index = index
        self.size = size
        self.popularShare = popularShare
        self.exemplars = exemplars
    }
}

public struct SkippedFile: Codable, Equatable, Sendable, Hashable {
    /// The folder role ("popular", "other", "candidates") and the path inside it.
    public var folder: String
    public var file: String
    public var reason: String

    public init(folder: String, file: String, reason: String) {
        self.folder = folder
        self.file = file
        self.reason = reason
    }
}
