import Foundation
import Imaging
import Networks
import Support
import Tensors

/// The inputs of a partial or full fine-tuning run: covers decoded, augmented (training set only)
/// and preprocessed on a background thread while the caller's thread trains, or, when nothing
/// random happens before the first trainable layer, the frozen layers' output computed once.
///
/// Augmentation is seeded per cover: row r of an epoch draws from `SeededGenerator(seed: epochSeed ⊕ mix(r))`,
/// so the images do not depend on which thread prepares them or when.
struct FineTuneFeed: Sendable {
    var images: LabelledImages
    var preprocessing: Preprocessing
    var limits: DecodeLimits
    var augmentation: CoverAugmentation?
    /// The frozen activations of every row, flattened `[N, C·H·W]`, when computed once (`cacheFrozenActivations`).
    var cache: Tensor?
    /// The shape of one row of `cache`: `[C, H, W]`.
    var cachedShape: [Int] = []

    var labels: [Float] { images.labels }
    var count: Int { images.count }

    /// A cover that decoded while scanning but not now (changed or removed during the run).
    struct ChangedFile: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason) (it decoded when training started; was it changed during the run?)" }
    }

    /// Rows `rows`, decoded, augmented with `seed` when the feed augments, preprocessed: `[n, 3, S, S]`.
    func pixels(_ rows: [Int], seed: UInt64) throws -> Tensor {
        let size = preprocessing.size
        var storage: [Float] = []
        storage.reserveCapacity(rows.count * 3 * size * size)
        for row in rows {
            let entry = images.entries[row]
            var image: RGBImage
            do { image = try ImageDecoder.decode(contentsOf: entry.url, limits: preprocessing.decodeLimits(limits)).image } catch {
                throw ChangedFile(path: entry.url.path, reason: CoverScan.reason(error))
            }
            if let augmentation {
                var generator = SeededGenerator(seed: seed ^ (UInt64(row) &* 0x9E37_79B9_7F4A_7C15))
                image = augmentation.apply(image, generator: &generator)
            }
            storage += preprocessing.tensor(for: image).storage
        }
        return Tensor(shape: [rows.count, 3, size, size], storage: storage)
    }

    /// The minibatches of `order` (`batchSize` rows each, the last one shorter), prepared on a
    /// background thread at most two ahead.
    func batches(order: [Int], batchSize: Int, seed: UInt64) -> (count: Int, take: (Int) throws -> Tensor) {
        let slices = stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
        if let cache {
            return (slices.count, { index in
                HeadTrainer.gatherRows(cache, slices[index]).reshaped([slices[index].count] + cachedShape)
            })
        }
        let prefetch = Prefetcher(count: slices.count) { index in Result { try pixels(slices[index], seed: seed) } }
        return (slices.count, { index in try prefetch.take(index).get() })
    }

    /// Computes the frozen layers' output for every row once, so epochs start at the first trainable
    /// layer. Only valid when the rows are not augmented (the output would change every epoch).
    mutating func cacheFrozenActivations<Network: TrainableBackbone>(_ backbone: Network, mode: FineTuneMode, compute: ComputeContext,
                                                                     progress: ((Int, Int) -> Void)?) throws {
        precondition(augmentation == nil, "augmented covers change every epoch; their activations cannot be cached")
        let (count, take) = batches(order: Array(0..<self.count), batchSize: 32, seed: 0)
        var parts: [Tensor] = []
        var done = 0
        for index in 0..<count {
            let h = backbone.frozenActivations(try take(index), mode: mode, compute: compute)   // [b, C, H, W]
            cachedShape = Array(h.shape.dropFirst())
            parts.append(h.reshaped([h.shape[0], h.count / h.shape[0]]))
            done += h.shape[0]
            progress?(done, self.count)
        }
        cache = Tensor.concatenate(batch: parts)
    }

    /// Eval-mode logits `[N]` of every row in order (running statistics, no dropout, no augmentation).
    func logits<Network: TrainableBackbone>(_ model: FineTuningModel<Network>, compute: ComputeContext) throws -> [Float] {
        precondition(!model.inferenceIsStale, "validation logits on a stale inference path: refoldIfStale() first")
        let (count, take) = batches(order: Array(0..<self.count), batchSize: 32, seed: 0)
        var logits: [Float] = []
        for index in 0..<count {
            let x = try take(index)
            let embedding = cache == nil ? model.backbone.embedding(x, compute: compute)
                : model.backbone.embedding(frozenActivations: x, mode: model.mode, compute: compute)
            logits += model.head.forward(embedding).storage
        }
        return logits
    }
}
