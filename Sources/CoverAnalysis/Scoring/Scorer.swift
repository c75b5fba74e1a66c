import Foundation
import Imaging
import Networks
import Tensors

/// Scores candidate covers against the popular set: the heart of `coverlens score`.
///
/// 1. scan every folder (embeddings, copy descriptors, colour statistics, thumbnails, the candidates'
///    Grad-CAM when the model has a trained head; cached in the store), decoding each file at most once,
/// 2. similarity: each candidate's top-k popular matches (style embedding) and, separately, whether
///    it is an edited copy of a popular cover (`CopyDetector`),
/// 3. popularity: the trained head's probability, or a similarity score, with percentiles,
/// 4. what the popular covers have in common (palette, feature distributions and ranking,
///    style clusters, the average cover).
public struct Scorer: Sendable {
    public var model: CoverModel
    public var store: (any CoverStore)?
    public var generator = "coverlens"
    /// Threads for the scan, the network and the similarity search; the run sets it from `--threads`.
    public var compute: ComputeContext = .default
    public var decoder: CoverDecoder = .standard
    /// See ``CoverScan/onCutShort``.
    public var onCutShort: (@Sendable (SkippedFile) -> Void)?

    public init(model: CoverModel, store: (any CoverStore)?) {
        self.model = model
        self.store = store
    }

    /// Where `collection:NAME` sets are read: the store, when it holds collections (the shared one).
    var collections: (any CollectionReader)? { store as? any CollectionReader }

    /// Reports progress: a phase name, items done, items in the phase.
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    /// Leaves out of both sets every cover whose content is in both (`LabelConflicts`), naming each.
    static func removeLabelConflicts(popular: inout [ScannedCover], other: inout [ScannedCover], skipped: inout [SkippedFile]) {
        let items = popular.map { LabelConflicts.Item(name: "popular/\($0.file)", hash: $0.contentHash, positive: true, folder: "popular", file: $0.file) }
            + other.map { LabelConflicts.Item(name: "other/\($0.file)", hash: $0.contentHash, positive: false, folder: "other", file: $0.file) }
        let kept = LabelConflicts.leaveOut(items, skipped: &skipped)
        guard kept.count < items.count else { return }
        let popularCount = popular.count
        let (keptPopular, keptOther) = (kept.filter { $0 < popularCount }, kept.filter { $0 >= popularCount })
        popular = keptPopular.map { popular[$0] }
        other = keptOther.map { other[$0 - popularCount] }
    }

    /// - Parameter pictures: where to keep the report's pictures of the covers decoded (so the
    ///   report need not decode them again); nil keeps none.
    public func score(_ request: ScoreRequest, pictures: CoverPictures? = nil, progress: Progress? = nil) throws -> AnalysisResult {
        try request.validate()
        var skipped: [SkippedFile] = []
        var scan = CoverScan(model: model, store: store)
        scan.limits = request.limits
        scan.decoder = decoder
        scan.onCutShort = onCutShort
        scan.pictures = pictures
        scan.compute = compute

        var samples: [String: SampleSummary] = [:]
        func load(_ location: CoverSetLocation, role: String, required: Bool) throws -> [ScannedCover] {
            guard case .folder(let url) = location else {
                let covers = try read(location, role: role, request: request, fingerprint: scan.recordFingerprint, pictures: pictures,
                                      samples: &samples)
                progress?(role, covers.count, covers.count)
                return covers
            }
            let folder = try ImageFolder(url, followSymlinks: request.followSymlinks)
            skipped += folder.problems.map { SkippedFile(folder: role, file: $0.path, reason: $0.reason) }
            var scan = scan
            scan.attention = request.attention && role == "candidates"
            let result = try scan.scan(folder.files, role: role) { done, total in progress?(role, done, total) }
            skipped += result.skipped
            if required && result.covers.isEmpty {
                throw ScoreRequest.RequestError.noCovers(role: role, path: url.path, problems: result.skipped.count + folder.problems.count)
            }
            return result.covers
        }
        var popular = try load(request.popular, role: "popular", required: true)
        var other = try request.other.map { try load($0, role: "other", required: false) } ?? []
        Self.removeLabelConflicts(popular: &popular, other: &other, skipped: &skipped)
        if popular.isEmpty {
            throw ScoreRequest.RequestError.noCovers(role: "popular", path: request.popular.folder?.path ?? request.popular.label,
                                                     problems: skipped.count)
        }
        var candidates = try load(.folder(request.candidates), role: "candidates", required: true)

        // A sampled collection: the candidates' matches and copies are looked for in all of it.
        let nearby = try samples["popular"] == nil ? []
            : collectionNeighbours(of: candidates, request: request, fingerprint: scan.recordFingerprint, excluding: popular, pictures: pictures)
        // What a candidate's listed matches, copy check and heatmap columns come from: the popular
        // covers, then the collection's covers found nearby (none when the set is read whole).
        let matchFiles = popular.map(\.file) + nearby.map(\.file)

        // Copies are found with their own descriptors, calibrated on the popular set (CopyDetector).
        let copies = CopyDetector(popular: Self.descriptors(popular + nearby), calibratedOn: popular.count)
        let copyEvidence = copies.judge(Self.descriptors(candidates))

        // The embeddings move out of the covers into one normalised matrix (see CoverEmbeddings).
        let d = popular[0].embedding.count
        let popularity = PopularityModel(model: model, k: request.topK)
        let candidateMatrix = CoverEmbeddings.matrix(&candidates, dimension: d)
        // The sample and the covers found nearby, held a second time only when there are any.
        var matchSet = nearby.isEmpty ? [] : popular + nearby
        let embeddings = CoverEmbeddings(popular: &popular, other: &other, dimension: d, rawScores: popularity.headScores)
        let matches = embeddings.topMatches(for: candidateMatrix, k: request.topK)
        var none: [ScannedCover] = []
        let matchEmbeddings = matchSet.isEmpty ? embeddings : CoverEmbeddings(popular: &matchSet, other: &none, dimension: d, rawScores: nil)
        // Scores and percentiles compare like with like (the candidates' matches in the same set as
        // the popular covers' own); the list shows the best matches of all.
        let listed = nearby.isEmpty ? matches : matchEmbeddings.topMatches(for: candidateMatrix, k: request.topK)

        let scores = popularity.scores(candidates: candidateMatrix, candidateMatches: matches, embeddings: embeddings)
        let candidateScores = scores.candidates
        let popularScores = FeatureSummary(values: scores.popular)
        let otherScores = other.isEmpty ? nil : FeatureSummary(values: scores.other)

        let common = CommonFeatureAnalysis(seed: request.seed).analyse(popular: popular, other: other, embeddings: embeddings.normalised)

        // The heatmap's columns: every popular cover that is among any candidate's top matches.
        var columns: [Int] = []
        for list in listed { for m in list where !columns.contains(m.index) { columns.append(m.index) } }
        let grid = columns.isEmpty ? nil : matchEmbeddings.cosines(for: candidateMatrix, columns: columns)
        let similarities = grid.map { g in
            MatchSimilarities(columns: columns.map { matchFiles[$0] },
                              values: (0..<candidates.count).map { r in (0..<columns.count).map { Double(g.storage[r * columns.count + $0]) } })
        }

        var results: [CandidateResult] = []
        for (i, cover) in candidates.enumerated() {
            let features = CommonFeatureAnalysis.features(of: cover.statistics)
            var percentiles: [String: Double] = [:]
            for (name, value) in features { percentiles[name] = common.summary.popular[name]?.percentile(of: value) }
            let evidence = copyEvidence[i]
            let copyCheck = CopyCheck(file: matchFiles[evidence.popularIndex], similarity: evidence.similarity,
                                      secondSimilarity: evidence.secondSimilarity, isCopy: evidence.isCopy)
            let found = listed[i].map { m in
                MatchResult(file: matchFiles[m.index], cosine: Double(m.cosine),
                            nearDuplicate: evidence.isCopy && m.index == evidence.popularIndex)
            }
            // Without a head the score is the similarity itself (mean cosine to the k nearest popular
            // covers), so the column labelled "similarity" shows a similarity, not a percentile.
            let score = candidateScores[i]
            results.append(CandidateResult(
                file: cover.file, popularity: score,
                percentileAmongPopular: popularScores.percentile(of: candidateScores[i]),
                percentileAmongOther: otherScores?.percentile(of: candidateScores[i]),
                matches: found, nearDuplicate: evidence.isCopy,
                features: features, featurePercentiles: percentiles,
                palette: cover.statistics.palette.map(Swatch.init),
                styleCluster: common.nearestCluster(candidateMatrix.slice(batch: i..<i + 1)),
                attention: cover.attention, copyCheck: copyCheck))
        }
        return AnalysisResult(
            generator: generator,
            model: ModelSummary(architecture: model.architecture, file: model.name, fingerprint: model.embeddingFingerprint,
                                preprocessing: model.preprocessing.fingerprintText, hasTrainedHead: popularity.usesHead,
                                validation: model.validationMetrics, training: model.trainingSummary),
            dataset: DatasetSummary(popularFolder: request.popular.label, otherFolder: request.other?.label,
                                    candidatesFolder: request.candidates.lastPathComponent, popularCount: popular.count,
                                    otherCount: other.count, candidateCount: candidates.count,
                                    popularSample: samples["popular"], otherSample: samples["other"]),
            settings: ScoreSettings(topK: request.topK, copyDetection: copies.calibration, seed: request.seed),
            popularity: popularity.usesHead ? .trainedHead : .similarity,
            candidates: results, common: common.summary, skipped: skipped.sorted { ($0.folder, $0.file) < ($1.folder, $1.file) },
            matchSimilarities: similarities)
    }

    /// A collection's covers as `role`'s set: whole, or above `request.sampleLimit` a seeded uniform
    /// sample (recorded in `samples`). Their stored thumbnails are the report's pictures of them,
    /// since the files are not on this machine.
    func read(_ location: CoverSetLocation, role: String, request: ScoreRequest, fingerprint: String, pictures: CoverPictures?,
              samples: inout [String: SampleSummary]) throws -> [ScannedCover] {
        guard case .collection(let name) = location else { return [] }
        guard let collections else { throw ScoreRequest.RequestError.collectionNeedsStore(flag: "--\(role)", name: name) }
        let read = try collections.covers(collection: name, modelFingerprint: fingerprint, sampleLimit: request.sampleLimit, seed: request.seed)
        if read.total > request.sampleLimit { samples[role] = SampleSummary(size: read.covers.count, total: read.total, seed: request.seed) }
        for cover in read.covers { pictures?.keep(cover.thumbnail, role: role, file: cover.file) }
        return read.covers
    }

    /// The popular collection's covers nearest to the candidates that its sample lacks: each
    /// candidate's top-k by style embedding and its two nearest by copy descriptor, searched in the
    /// engine over the whole collection.
    func collectionNeighbours(of candidates: [ScannedCover], request: ScoreRequest, fingerprint: String,
                              excluding sample: [ScannedCover], pictures: CoverPictures?) throws -> [ScannedCover] {
        guard case .collection(let name) = request.popular, let collections else { return [] }
        let byStyle = try collections.nearestCovers(collection: name, modelFingerprint: fingerprint, byCopyDescriptor: false,
                                                    to: candidates.map(\.embedding), k: request.topK)
        let byCopy = try collections.nearestCovers(collection: name, modelFingerprint: fingerprint, byCopyDescriptor: true,
                                                   to: candidates.map(\.copyDescriptor), k: 2)
        var known = Set(sample.map(\.file))
        let found = (byStyle + byCopy).filter { known.insert($0.file).inserted }
        for cover in found { pictures?.keep(cover.thumbnail, role: "popular", file: cover.file) }
        return found
    }

    /// The covers' copy descriptors as one matrix [N, D].
    static func descriptors(_ covers: [ScannedCover]) -> Tensor {
        Tensor(shape: [covers.count, covers.first?.copyDescriptor.count ?? 0], storage: covers.flatMap(\.copyDescriptor))
    }
}

extension Swatch {
    init(_ swatch: PaletteSwatch) {
        self.init(hex: swatch.hex, lab: [swatch.lab.l, swatch.lab.a, swatch.lab.b], share: swatch.share)
    }
}
