import Foundation
import Imaging
import Networks
import Testing
import Tensors
@testable import CoverAnalysis

/// Issue 17: a scan prepares the next batch's files on the prefetch thread while the network runs
/// on two. The embeddings must be the bits of each batch decoded alone and run as one batch, and a
/// bad file is still named and skipped while the rest go on.
@Suite struct CoverScanPlanTests {
    /// Ten generated covers at 600×900 (about the size the issue names) and a damaged JPEG among them.
    private func folder() throws -> ScoringFixtures.Folders {
        let folders = try ScoringFixtures.Folders()
        for seed in 0..<10 {
            try folders.write(resizeBilinear(ScoringFixtures.cover(seed: UInt64(seed)), width: 600, height: 900),
                              "covers/cover-\(seed).jpg")
        }
        // A JPEG header, then noise: named and skipped, never the end of the scan.
        let damaged = [0xFF, 0xD8, 0xFF, 0xDB] + (0..<400).map { UInt8(($0 * 37) % 251) }
        try Data(damaged.map { UInt8($0) }).write(to: folders.url("covers/cover-4b.jpg"))
        return folders
    }

    private func model<B: Backbone>(_ backbone: B, normalization: Normalization) -> CoverModel {
        CoverModel(backbone: backbone, preprocessing: Preprocessing(normalization: normalization), name: B.architecture,
                   embeddingFingerprint: B.architecture)
    }

    /// What the scan should give: each batch's decodable covers, decoded alone and run through the
    /// network as one batch (the composition decides the bits of ResNet18's sub-batch GEMMs).
    private func expected(_ files: [ImageFolder.Entry], model: CoverModel, batch: Int, compute: ComputeContext) throws -> [[Float]] {
        var rows: [[Float]] = []
        for start in stride(from: 0, to: files.count, by: batch) {
            var inputs: [Tensor] = []
            for file in files[start..<min(start + batch, files.count)] {
                let bytes = try ImageDecoder.readBytes(path: file.url.path)
                guard let decoded = try? ImageDecoder.decode(bytes: bytes, name: file.relativePath,
                                                             limits: model.preprocessing.decodeLimits(.default)) else { continue }
                inputs.append(model.preprocessing.tensor(for: decoded.image).reshaped([1, 3, 224, 224]))
            }
            let embeddings = GlobalAveragePool().forward(model.backbone.featureMaps(Tensor.concatenate(batch: inputs), compute: compute))
            let d = embeddings.shape[1]
            try #require(embeddings.shape == [inputs.count, d] && embeddings.storage.count == inputs.count * d,
                         "\(embeddings.shape), \(embeddings.storage.count) values for \(inputs.count) covers")
            rows += (0..<inputs.count).map { Array(embeddings.storage[$0 * d..<($0 + 1) * d]) }
        }
        return rows
    }

    private func check(_ model: CoverModel) throws {
        let covers = try folder()
        let files = try ImageFolder(covers.url("covers")).files
        #expect(files.count == 11)
        let compute = ComputeContext(workers: 2)
        compute.applyGEMMThreads()
        let reference = try expected(files, model: model, batch: 4, compute: compute)
        #expect(Set(reference.map { $0.prefix(8).map(\.bitPattern) }).count == 10, "the covers' embeddings differ, so a mix-up would show")
        func plan(_ store: (any CoverStore)?) -> CoverScan {
            var scan = CoverScan(model: model, store: store)
            scan.batchSize = 4
            scan.compute = compute
            return scan
        }
        do {
            let result = try plan(nil).scan(files, role: "covers")
            #expect(result.covers.map(\.file) == files.map(\.relativePath).filter { $0 != "cover-4b.jpg" }, "order kept")
            #expect(result.covers.map { $0.embedding.map(\.bitPattern) } == reference.map { $0.map(\.bitPattern) },
                    "\(model.architecture): embeddings differ")
            #expect(result.skipped.count == 1)
            #expect(result.skipped.first?.file == "cover-4b.jpg" && result.skipped.first?.folder == "covers")
            #expect(result.skipped.first?.reason.isEmpty == false)
        }
        // `embed`'s path: the same embeddings without the measures `score` needs …
        do {
            let result = try plan(nil).embeddings(files, role: "covers")
            #expect(result.covers.map(\.file) == files.map(\.relativePath).filter { $0 != "cover-4b.jpg" }, "order kept")
            #expect(result.covers.map { $0.embedding.map(\.bitPattern) } == reference.map { $0.map(\.bitPattern) },
                    "\(model.architecture): embeddings without the measures differ")
            #expect(result.skipped.map(\.file) == ["cover-4b.jpg"])
        }
        // … and with a store, records as complete as a scan's, so a later `score` finds everything.
        do {
            let store = try EmbeddingStore(url: covers.url("cache.sqlite"))
            let scan = plan(store)
            let result = try scan.embeddings(files, role: "covers")
            #expect(result.covers.count == 10)
            for cover in result.covers {
                let record = try store.lookup(contentHash: cover.contentHash, modelFingerprint: scan.recordFingerprint)
                let descriptor = try store.lookup(contentHash: cover.contentHash, modelFingerprint: CoverScan.copyKey(scan.recordFingerprint))
                #expect(record?.statistics != nil && descriptor?.embedding?.count == BandDescriptor.length, "\(cover.file): record incomplete")
            }
        }
    }

    /// `--jpeg-draft on`: the scan decodes each JPEG at the draft size its model records (600×900 →
    /// 300×450 for a 224 input), and its embeddings are those of the drafted pixels, not the whole decode's.
    @Test func jpegDraftIsWhatTheScanDecodes() throws {
        let backbone = try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes()))
        var drafted = model(backbone, normalization: .efficientNet)
        drafted.preprocessing.jpegDraft = true
        let covers = try folder()
        let files = try ImageFolder(covers.url("covers")).files
        let compute = ComputeContext(workers: 2)
        compute.applyGEMMThreads()
        final class Sizes: @unchecked Sendable {
            let lock = NSLock()
            var seen: [String] = []
            func add(_ size: String) { lock.lock(); seen.append(size); lock.unlock() }
        }
        let sizes = Sizes()
        var scan = CoverScan(model: drafted, store: nil)
        scan.batchSize = 4
        scan.compute = compute
        scan.decoder = CoverDecoder { bytes, _, name, limits in
            let decoded = try ImageDecoder.decode(bytes: bytes, name: name, limits: limits)
            sizes.add("\(decoded.image.width)×\(decoded.image.height)")
            return decoded
        }
        let result = try scan.embeddings(files, role: "covers")
        #expect(sizes.seen == Array(repeating: "300×450", count: 10), "\(sizes.seen)")
        let reference = try expected(files, model: drafted, batch: 4, compute: compute)
        #expect(result.covers.map { $0.embedding.map(\.bitPattern) } == reference.map { $0.map(\.bitPattern) })
        let whole = try expected(files, model: model(backbone, normalization: .efficientNet), batch: 4, compute: compute)
        #expect(zip(whole, reference).allSatisfy { $0 != $1 }, "the drafted pixels give other embeddings")
    }

    @Test func resNet18EmbeddingsDoNotDependOnThePlan() throws {
        try check(model(try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes())), normalization: .imagenet))
    }

    @Test func efficientNetEmbeddingsDoNotDependOnThePlan() throws {
        try check(model(try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes())),
                        normalization: .efficientNet))
    }
}

