extension Tensor {
    /// Element-wise `self += other` (gradient accumulation, residual branches), in contiguous pieces
    /// over `compute.workers` (every piece the same adds as on one thread, so the same bits). ResNet18's
    /// backward adds its residual gradients, 30 M values a batch-32 step; on one thread the other
    /// core waited through them.
    public mutating func add(_ other: Tensor, compute: ComputeContext = ComputeContext(workers: 1)) {
        precondition(count == other.count, "adding \(other.shape) to \(shape)")
        let total = count
        let pieces = total >= 1 << 16 ? min(compute.workers, total >> 15) : 1
        storage.withUnsafeMutableBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                let (ap, bp) = (a.baseAddress!, b.baseAddress!)
                parallelChunks(total, workers: pieces) { range in
                    for i in range { ap[i] += bp[i] }
                }
            }
        }
    }
}
