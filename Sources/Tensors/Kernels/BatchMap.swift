import Support
extension Tensor {
    /// Splits the batch `[N, ...]` into contiguous sub-batches, two per worker (at most N), applies
    /// `body` to each on one of `workers` threads and stacks the results in order.
    ///
    /// Used to run a whole network per sub-batch on one core: the cores never wait for each other
    /// between layers, and layers with few output positions can still put several images into one
    /// GEMM (reading their weights once per sub-batch instead of once per image). Two sub-batches
    /// per worker, taken in turn (`parallelForDynamic`), so that a worker whose core another thread
    /// shares (the decoding beside `coverlens embed`) leaves its second one to the other worker.
    public func mapBatchChunks(compute: ComputeContext, _ body: (Tensor) -> Tensor) -> Tensor {
        precondition(rank >= 1 && shape[0] >= 1, "mapBatchChunks needs a non-empty batch, got \(shape)")
        return mapSlices(Tensor.subBatchCount(images: shape[0], workers: compute.workers), compute: compute, body)
    }

    /// How many sub-batches `mapBatchChunks` cuts `images` into on `workers` threads.
    public static func subBatchCount(images: Int, workers: Int) -> Int {
        workers > 1 ? min(2 * workers, images) : 1
    }

    /// The images of slice `index` when a batch of `images` is cut into `slices` contiguous pieces
    /// whose sizes differ by at most one, as `mapBatchChunks` and `mapImages` cut it.
    public static func batchSlice(_ index: Int, of slices: Int, images: Int) -> Range<Int> {
        index * images / slices ..< (index + 1) * images / slices
    }
}

extension Tensor {
    /// Applies `body` to every image `[1, ...]` of the batch `[N, ...]` and stacks the results,
    /// images spread over `workers` threads, each taking the next image when it is done with one.
    ///
    /// Used to run a whole network per image on one core: the activations of one image stay in that
    /// core's caches from layer to layer, and the cores never wait for each other between layers.
    public func mapImages(compute: ComputeContext, _ body: (Tensor) -> Tensor) -> Tensor {
        precondition(rank >= 1 && shape[0] >= 1, "mapImages needs a non-empty batch, got \(shape)")
        return mapSlices(shape[0], compute: compute, body)
    }

    /// The batch cut into `slices` contiguous pieces (sizes differing by at most one), `body` on
    /// each, the workers taking pieces in turn (`parallelForDynamic`), the results stacked in order.
    private func mapSlices(_ slices: Int, compute: ComputeContext, _ body: (Tensor) -> Tensor) -> Tensor {
        let n = shape[0]
        let results = UnsafeMutableBufferPointer<Tensor>.allocate(capacity: slices)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        parallelForDynamic(slices, workers: compute.workers) { c in
            (results.baseAddress! + c).initialize(to: body(slice(batch: Tensor.batchSlice(c, of: slices, images: n))))
        }
        return Tensor.concatenate(batch: Array(results))
    }
}
