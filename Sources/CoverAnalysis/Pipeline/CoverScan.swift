import Dispatch
import Foundation
import Imaging
import Networks
import Support
import Tensors

/// What CoverLens keeps of one cover after the expensive work: its embedding, its colour
/// statistics and a tiny thumbnail (for the average cover), whether computed now or found in the
/// embedding store.
public struct ScannedCover: Sendable {
    /// Path relative to its folder.
    public var file: String
    public var contentHash: String
    public var embedding: [Float]
    /// The copy detector's descriptor (`BandDescriptor`).
    public var copyDescriptor: [Float]
    public var statistics: ColourStatistics
    /// `CoverScan.thumbnailSize`, RGB.
    public var thumbnail: RGBImage
    /// Grad-CAM of the popularity logit, when the scan was asked for it (`attention`).
    public var attention: Heatmap? = nil

    public init(file: String, contentHash: String, embedding: [Float], copyDescriptor: [Float],
                statistics: ColourStatistics, thumbnail: RGBImage, attention: Heatmap? = nil) {
        self.file = file
        self.contentHash = contentHash
        self.embedding = embedding
        self.copyDescriptor = copyDescriptor
        self.statistics = statistics
        self.thumbnail = thumbnail
        self.attention = attention
    }
}

/// A cover's embedding alone (`CoverScan.embeddings`).
public struct EmbeddedCover: Sendable {
    /// Path relative to its folder.
    public var file: String
    public var contentHash: String
    public var embedding: [Float]
}

/// Turns folders of covers into `ScannedCover`s: read → hash → store lookup → (decode → measure →
/// preprocess → embed → Grad-CAM) → store.
///
/// Each file is decoded at most once: what later steps need from the pixels is taken from that one
/// decode — the preprocessed tensor for Grad-CAM while its batch is in flight (`attention`), and
/// the report's picture (`pictures`) — and a file the store knows completely is not decoded at all.
///
/// Decoding overlaps computation: a background thread prepares the next batches (reading, hashing,
/// decoding, colour statistics, resizing) while the network runs on the current one, at most two
/// batches ahead (`Prefetcher`).
///
/// The thread plan: the network runs on `compute.workers` threads of its own (`NetworkWorkers`),
/// each taking a piece of a batch (ResNet18: a sub-batch; EfficientNet-Lite0: an image) whole, each
/// GEMM on its calling thread (`ComputeContext.gemmThreads` is one, so neither OpenBLAS nor oneDNN's
/// OpenMP keeps threads spinning beside them). The caller's thread hands batch k + 1 to them before
/// it waits for batch k, so a worker done with its share of one batch goes on with the next instead
/// of idling at the batch's end; meanwhile the caller only stores and reports. The preparation runs
/// on the one prefetch thread, at a lower priority once it is ahead of the network
/// (`ProducerPatience`, `ProducerPriority`), so that it then yields a core to a network worker that
/// needs it. A batch of one cover, a run on one worker and a scan with Grad-CAM run the network on
/// the caller's thread as `featureMaps` spreads it, after the batch before is done.
/// Preparing a batch's files on several threads at once (2026-12-03) corrupted the heap now and
/// then: with two preparation threads a head-mode training test aborted in glibc's malloc in about
/// one run in ten, with one never in a hundred (README, "coverlens embed with decoding"); the cause
/// inside the preparation was not found, and the parallel preparation had measured no gain.
public struct CoverScan: Sendable {
    /// Thumbnail stored per cover: 2:3 like most covers, small enough that 10,000 covers stay near 100 MB.
    public static let thumbnailSize = (width: 48, height: 72)

    public var model: CoverModel
    public var store: (any CoverStore)?
    /// Covers per network batch unless a caller sets `batchSize`.
    public static let defaultBatchSize = 16
    public var batchSize: Int = CoverScan.defaultBatchSize
    public var limits: DecodeLimits = .default
    /// Threads for the network (`ComputeContext`); the run sets it from `--threads`.
    public var compute: ComputeContext = .default
    public var statisticsOptions = ColourStatistics.Options()
    /// Also compute each cover's Grad-CAM (when the model has a popularity head), from the store when
    /// it holds the map, else from the decode's preprocessed tensor, which lives only for its batch.
    public var attention = false
    /// Where the report's pictures of decoded covers are kept; nil keeps none.
    public var pictures: CoverPictures?
    public var decoder: CoverDecoder = .standard

    public init(model: CoverModel, store: (any CoverStore)?) {
        self.model = model
        self.store = store
    }

    /// Progress after each batch: covers done so far, total.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Called for each cover used although its data ended early (``ImageInfo/cutShort``), with
    /// the folder role, the file and what is missing, so a run can name it; cached covers repeat it.
    public var onCutShort: (@Sendable (SkippedFile) -> Void)?

    /// Scans `files` of one folder (`role` names it in skipped-file reports). Order is kept; files
    /// that cannot be used come back in `skipped` with the reason, once each.
    public func scan(_ files: [ImageFolder.Entry], role: String,
                     progress: Progress? = nil) throws -> (covers: [ScannedCover], skipped: [SkippedFile]) {
        var covers: [ScannedCover] = []
        let skipped = try run(files, role: role, measures: true, progress: progress) { item in
            guard let embedding = item.embedding, let descriptor = item.copyDescriptor, let statistics = item.statistics,
                  let thumbnail = item.thumbnail else { return }
            covers.append(ScannedCover(file: item.entry.relativePath, contentHash: item.contentHash ?? "", embedding: embedding,
                                       copyDescriptor: descriptor, statistics: statistics, thumbnail: thumbnail,
                                       attention: item.attention))
        }
        return (covers, skipped)
    }

    /// The embeddings of `files` alone, as `coverlens embed` writes them. Without a store nothing
    /// else is computed: the colour statistics, thumbnail and copy descriptor that `scan` makes for
    /// `score` cost about two thirds of a cover's preparation before the network (README,
    /// "coverlens embed with decoding"). With a store they are still made, so that its records stay
    /// complete for a later `score`.
    public func embeddings(_ files: [ImageFolder.Entry], role: String,
                           progress: Progress? = nil) throws -> (covers: [EmbeddedCover], skipped: [SkippedFile]) {
        var covers: [EmbeddedCover] = []
        let skipped = try run(files, role: role, measures: store != nil, progress: progress) { item in
            guard let embedding = item.embedding else { return }
            covers.append(EmbeddedCover(file: item.entry.relativePath, contentHash: item.contentHash ?? "", embedding: embedding))
        }
        return (covers, skipped)
    }

    /// The pipeline both share: `collect` sees every cover that was not skipped, in order; with
    /// `measures` false the colour statistics, thumbnail and copy descriptor are left out.
    private func run(_ files: [ImageFolder.Entry], role: String, measures: Bool, progress: Progress?,
                     collect: (PreparedCover) -> Void) throws -> [SkippedFile] {
        precondition(measures || store == nil, "a store's records need the measures")
        let batches = stride(from: 0, to: files.count, by: max(1, batchSize)).map {
            Array(files[$0..<min($0 + batchSize, files.count)])
        }
        var skipped: [SkippedFile] = []
        let fingerprint = recordFingerprint
        var done = 0
        // 0 of N first, so a progress bar's clock starts with the scan and its rate is real even
        // when the next report is the last.
        progress?(0, files.count)
        let prefetch = Prefetcher(count: batches.count) { index in
            prepare(batches[index], fingerprint: fingerprint, role: role, measures: measures)
        }
        // A batch whose covers are in the network while the next one is handed over.
        var inFlight: (index: Int, prepared: [PreparedCover], embeddings: NetworkWorkers.Batch)?
        let workers = compute.workers > 1 ? NetworkWorkers(model: model, compute: compute) : nil
        /// Everything after the network for batch `index`: the embeddings (from the workers, or
        /// computed here), Grad-CAM, the store's records, the collected covers and the progress.
        func finish(_ index: Int, _ prepared: [PreparedCover], handedOver: NetworkWorkers.Batch?) throws {
            let fresh = prepared.indices.filter { prepared[$0].needsEmbedding }
            if !fresh.isEmpty {
                // The embedding pools the last feature map as the backbone's own pooling does (bit for bit).
                let embeddings = handedOver.map { workers!.embeddings(of: $0) }
                    ?? GlobalAveragePool().forward(model.backbone.featureMaps(Tensor.concatenate(batch: fresh.map { prepared[$0].input! }),
                                                                              compute: compute))
                let d = embeddings.shape[1]
                for (row, i) in fresh.enumerated() {
                    prepared[i].embedding = Array(embeddings.storage[row * d..<(row + 1) * d])
                }
            }
            for item in prepared where item.wantsAttention && item.attention == nil && item.error == nil {
                guard let input = item.input, let hash = item.contentHash, let map = GradCAM.heatmap(model: model, input: input, compute: compute) else { continue }
                item.attention = map
                try store?.saveAttention(map, contentHash: hash, modelFingerprint: model.fullFingerprint)
            }
            var records: [CoverRecord] = []
            for item in prepared {
                if item.fromStore == false, let hash = item.contentHash {
                    records.append(item.record(fingerprint: fingerprint, hash: hash))
                    if let descriptor = item.copyDescriptor {
                        records.append(CoverRecord(contentHash: hash, modelFingerprint: Self.copyKey(fingerprint), embedding: descriptor))
                    }
                }
                if let error = item.error {
                    skipped.append(SkippedFile(folder: role, file: item.entry.relativePath, reason: error))
                } else if item.embedding != nil {
                    if let cutShort = item.cutShort { onCutShort?(SkippedFile(folder: role, file: item.entry.relativePath, reason: cutShort)) }
                    collect(item)
                }
            }
            try store?.save(records, files: prepared.map { ScannedFileKey(relativePath: $0.entry.relativePath, contentHash: $0.contentHash) })
            done += batches[index].count
            progress?(done, files.count)
        }
        for index in batches.indices {
            let prepared = prefetch.take(index)
            let fresh = prepared.filter(\.needsEmbedding)
            // Handed to the workers when it has pieces for them and nothing else needs the cores
            // meanwhile (Grad-CAM runs on all of them); otherwise run here once the batch before is done.
            var handedOver: NetworkWorkers.Batch?
            if let workers, fresh.count > 1, !prepared.contains(where: \.wantsAttention) {
                handedOver = workers.submit(Tensor.concatenate(batch: fresh.map { $0.input! }))
            }
            if let previous = inFlight { try finish(previous.index, previous.prepared, handedOver: previous.embeddings) }
            inFlight = handedOver.map { (index, prepared, $0) }
            if handedOver == nil { try finish(index, prepared, handedOver: nil) }
        }
        if let last = inFlight { try finish(last.index, last.prepared, handedOver: last.embeddings) }
        return skipped
    }

    /// Everything done for a batch's files before the network, on the prefetch thread, one file after another.
    func prepare(_ entries: [ImageFolder.Entry], fingerprint: String, role: String, measures: Bool = true) -> [PreparedCover] {
        let wantsAttention = attention && model.popularityHead != nil
        let items = entries.map { entry in
            let item = PreparedCover(entry: entry)
            item.wantsAttention = wantsAttention
            return item
        }
        for item in items { prepare(item, fingerprint: fingerprint, role: role, measures: measures) }
        return items
    }

    /// One file: read, hash, look up in the store, and decode what the store does not know.
    func prepare(_ item: PreparedCover, fingerprint: String, role: String, measures: Bool = true) {
        let entry = item.entry, wantsAttention = item.wantsAttention
        let bytes: Data
        do { bytes = try Data(contentsOf: entry.url) } catch {
            item.error = "cannot be read (\(Self.reason(error))); check its permissions"
            return
        }
        let hash = SHA256.hex(bytes)
        item.contentHash = hash
        if let store, let record = try? store.lookup(contentHash: hash, modelFingerprint: fingerprint) {
            item.fromStore = true
            if let error = record.decodeError {
                item.error = error
                return
            }
            if let embedding = record.embedding, embedding.count == model.backbone.embeddingDimension,
               embedding.allSatisfy(\.isFinite), let blob = record.statistics,
               let payload = try? JSONDecoder().decode(StoredPayload.self, from: blob),
               let thumbnail = payload.thumbnail,
               (thumbnail.width, thumbnail.height) == Self.thumbnailSize,
               let descriptor = try? store.lookup(contentHash: hash, modelFingerprint: Self.copyKey(fingerprint))?.embedding,
               descriptor.count == BandDescriptor.length, descriptor.allSatisfy(\.isFinite) {
                item.embedding = embedding
                item.copyDescriptor = descriptor
                item.statistics = payload.statistics
                item.thumbnail = thumbnail
                item.cutShort = payload.cutShort
            } else {
                item.fromStore = false   // an unreadable or damaged record: recompute and replace it
            }
        }
        if wantsAttention, let store {
            item.attention = try? store.attention(contentHash: hash, modelFingerprint: model.fullFingerprint)
        }
        // Known completely: no decode at all.
        if item.embedding != nil && (!wantsAttention || item.attention != nil) { return }
        do {
            let decoded = try decoder.decode([UInt8](bytes), entry.url, entry.relativePath, model.preprocessing.decodeLimits(limits))
            item.cutShort = decoded.info.cutShort
            if item.embedding == nil && measures {
                item.statistics = ColourStatistics(measuring: decoded.image, options: statisticsOptions)
                item.thumbnail = resizeBilinear(decoded.image, width: Self.thumbnailSize.width, height: Self.thumbnailSize.height)
                item.copyDescriptor = BandDescriptor.describe(decoded.image)
            }
            item.input = model.preprocessing.tensor(for: decoded.image).reshaped([1, 3, model.preprocessing.size, model.preprocessing.size])
            pictures?.keep(CoverPictures.shrink(decoded.image), role: role, file: entry.relativePath)
        } catch {
            // A cover the store knows is still scored when only its Grad-CAM could not be made.
            if item.embedding == nil { item.error = Self.reason(error) }
        }
    }

    /// The store key of a cover's copy descriptor: the model's, with the descriptor recipe's version.
    /// The key this scan's records are stored under: the model's embedding fingerprint, marked when
    /// truncated covers are allowed (a cover cut inside its image data is an error without
    /// --allow-truncated and grey-filled with it: the two runs must not share stored results).
    public var recordFingerprint: String { model.embeddingFingerprint + (limits.allowsTruncated ? "|allow-truncated" : "") }

    public static func copyKey(_ fingerprint: String) -> String { fingerprint + "|" + BandDescriptor.version }

    /// The error's message without the leading "path: " (the skipped list shows the path itself).
    static func reason(_ error: Error) -> String {
        if let e = error as? DecodeError {
            let text = e.description
            return text.hasPrefix(e.path + ": ") ? String(text.dropFirst(e.path.count + 2)) : text
        }
        return (error as NSError).localizedDescription
    }
}

/// Mutable per-file state passed from the prefetch thread to the network thread (never shared
/// by two threads at once: the prefetcher hands each batch over exactly once).
final class PreparedCover: @unchecked Sendable {
    let entry: ImageFolder.Entry
    var contentHash: String?
    var fromStore = false
    var error: String?
    var input: Tensor?
    var embedding: [Float]?
    var copyDescriptor: [Float]?
    var statistics: ColourStatistics?
    var thumbnail: RGBImage?
    var wantsAttention = false
    var attention: Heatmap?
    /// See ``ImageInfo/cutShort``.
    var cutShort: String?

    init(entry: ImageFolder.Entry) { self.entry = entry }

    var needsEmbedding: Bool { error == nil && embedding == nil && input != nil }

    func record(fingerprint: String, hash: String) -> CoverRecord {
        var payload: Data?
        if let statistics, let thumbnail {
            payload = try? JSONEncoder().encode(StoredPayload(statistics: statistics, thumbnail: thumbnail, cutShort: cutShort))
        }
        return CoverRecord(contentHash: hash, modelFingerprint: fingerprint, embedding: error == nil ? embedding : nil,
                                     statistics: error == nil ? payload : nil, decodeError: error)
    }
}

/// The per-cover data kept beside the embedding in the store.
public struct StoredPayload: Codable, Sendable {
    public var statistics: ColourStatistics
    var thumbnailWidth: Int
    var thumbnailHeight: Int
    var thumbnailPixels: Data
    /// ``ImageInfo/cutShort`` of the decode, repeated when the cover comes from the store (absent
    /// in records written before it existed).
    var cutShort: String?

    public init(statistics: ColourStatistics, thumbnail: RGBImage, cutShort: String? = nil) {
        self.cutShort = cutShort
        self.statistics = statistics
        thumbnailWidth = thumbnail.width
        thumbnailHeight = thumbnail.height
        thumbnailPixels = Data(thumbnail.pixels)
    }

    public var thumbnail: RGBImage? {
        guard thumbnailPixels.count == thumbnailWidth * thumbnailHeight * 3 else { return nil }
        return RGBImage(width: thumbnailWidth, height: thumbnailHeight, pixels: [UInt8](thumbnailPixels))
    }
}
