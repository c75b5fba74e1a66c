import Foundation
import Networks
import Tensors

/// Threads of their own that run a scan's batches through the network piece by piece
/// (`Backbone.featureMapPieces`), one piece per thread at a time, the pieces of later batches queued
/// behind the earlier ones'.
///
/// Why: `featureMaps` spreads a batch's pieces over the cores and returns when the last one is done,
/// so at the end of every batch the worker that finished first waited with its core idle — up to a
/// whole piece (ResNet18: four images, about 50 ms of a 200 ms batch of 16). `coverlens embed
/// --no-cache` kept 1.86 of two cores busy where the network alone keeps 1.94 (README, "coverlens
/// embed with decoding"). Here `CoverScan` hands over the next batch before it waits for the current
/// one, and a worker that is done goes on with the next batch's pieces; the only wait left is at the
/// end of the scan. The embeddings are `featureMaps`' bits: the same pieces, each on one core.
final class NetworkWorkers: @unchecked Sendable {
    /// A batch handed over: the embeddings of its pieces, filled in by the workers.
    final class Batch: @unchecked Sendable {
        fileprivate var pieces: [Tensor?]
        fileprivate var remaining: Int

        fileprivate init(pieces: Int) {
            self.pieces = Array(repeating: nil, count: pieces)
            remaining = pieces
        }
    }

    /// What the workers and the scan share, guarded by `condition`. The threads hold this, not the
    /// `NetworkWorkers`, so that dropping the last reference to it stops them (`deinit`).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [(batch: Batch, piece: Int, run: () -> Tensor)] = []
        var stopped = false
    }

    private let queue = Queue()
    private let model: CoverModel
    private let compute: ComputeContext

    /// `compute.workers` threads, each running one piece at a time on `compute` with one worker.
    /// `onExit` runs on each thread as it ends (tests see that dropped workers leave no thread behind).
    init(model: CoverModel, compute: ComputeContext, onExit: (@Sendable () -> Void)? = nil) {
        self.model = model
        self.compute = compute
        for index in 0..<max(1, compute.workers) {
            let queue = self.queue
            let thread = Thread {
                defer { onExit?() }
                Self.work(queue)
            }
            thread.name = "coverlens-network-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Queues the pieces of `input` `[N, 3, H, W]` (N ≥ 1) and returns at once; `embeddings(of:)`
    /// waits for them.
    func submit(_ input: Tensor) -> Batch {
        let backbone = model.backbone, compute = compute
        let pieces = backbone.featureMapPieces(images: input.shape[0], workers: compute.workers)
        let batch = Batch(pieces: pieces.count)
        queue.condition.lock()
        for (index, images) in pieces.enumerated() {
            queue.jobs.append((batch, index, {
                GlobalAveragePool().forward(backbone.featureMapsOnOneCore(input.slice(batch: images), compute: compute))
            }))
        }
        queue.condition.broadcast()
        queue.condition.unlock()
        return batch
    }

    /// The embeddings `[N, D]` of a submitted batch, in its order, once every piece is done.
    func embeddings(of batch: Batch) -> Tensor {
        queue.condition.lock()
        while batch.remaining > 0 { queue.condition.wait() }
        let pieces = batch.pieces.map { $0! }
        queue.condition.unlock()
        return Tensor.concatenate(batch: pieces)
    }

    /// Drops the pieces not started; each thread ends after the piece it is running.
    func stop() {
        queue.condition.lock()
        queue.stopped = true
        queue.jobs.removeAll()
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    deinit { stop() }

    private static func work(_ queue: Queue) {
        while true {
            queue.condition.lock()
            while queue.jobs.isEmpty && !queue.stopped { queue.condition.wait() }
            if queue.stopped {
                queue.condition.unlock()
                return
            }
            let job = queue.jobs.removeFirst()
            queue.condition.unlock()
            let result = job.run()
            queue.condition.lock()
            job.batch.pieces[job.piece] = result
            job.batch.remaining -= 1
            queue.condition.broadcast()
            queue.condition.unlock()
        }
    }
}
