extension Tensor {
    /// Applies `body` to every image `[1, ...]` of the batch `[N, ...]` and stacks the results,
    /// images spread over `workers` threads.
    ///
    /// Used to run a whole network per image on one core: the activations of one image stay in that
    /// core's caches from layer to layer, and the cores never wait for each other between layers.
    /// `body` must return the same shape for every image.
    public func mapImages(workers: Int = Parallelism.workers, _ body: (Tensor) -> Tensor) -> Tensor {
        precondition(rank >= 1 && shape[0] >= 1, "mapImages needs a non-empty batch, got \(shape)")
        let n = shape[0]
        let results = UnsafeMutableBufferPointer<Tensor>.allocate(capacity: n)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        parallelFor(n, workers: workers) { i in
            (results.baseAddress! + i).initialize(to: body(slice(batch: i..<(i + 1))))
        }
        return Tensor.concatenate(batch: Array(results))
    }
}
