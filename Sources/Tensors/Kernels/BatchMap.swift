import Support
extension Tensor {
    /// Splits the batch `[N, ...]` into at most `workers` contiguous sub-batches, applies `body` to
    /// each on its own thread and stacks the results in order.
    ///
    /// Used to run a whole network per sub-batch on one core: the cores never wait for each other
    /// between layers, and layers with few output positions can still put several images into one
    /// GEMM (reading their weights once per sub-batch instead of once per image).
    public func mapBatchChunks(compute: ComputeContext, _ body: (Tensor) -> Tensor) -> Tensor {
        precondition(rank >= 1 && shape[0] >= 1, "mapBatchChunks needs a non-empty batch, got \(shape)")
        let n = shape[0]
        let chunks = min(max(1, compute.workers), n)
        let results = UnsafeMutableBufferPointer<Tensor>.allocate(capacity: chunks)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        parallelFor(chunks, workers: chunks) { c in
            let range = c * n / chunks ..< (c + 1) * n / chunks
            (results.baseAddress! + c).initialize(to: body(slice(batch: range)))
        }
        return Tensor.concatenate(batch: Array(results))
    }
}

extension Tensor {
    /// Applies `body` to every image `[1, ...]` of the batch `[N, ...]` and stacks the results,
    /// images spread over `workers` threads.
    ///
    /// Used to run a whole network per image on one core: the activations of one image stay in that
    /// core's caches from layer to layer, and the cores never wait for each other between layers.
    public func mapImages(compute: ComputeContext, _ body: (Tensor) -> Tensor) -> Tensor {
        precondition(rank >= 1 && shape[0] >= 1, "mapImages needs a non-empty batch, got \(shape)")
        let n = shape[0]
        let results = UnsafeMutableBufferPointer<Tensor>.allocate(capacity: n)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        parallelFor(n, workers: compute.workers) { i in
            (results.baseAddress! + i).initialize(to: body(slice(batch: i..<(i + 1))))
        }
        return Tensor.concatenate(batch: Array(results))
    }
}
