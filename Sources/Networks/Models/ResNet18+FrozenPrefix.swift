import Tensors

extension ResNet18 {
    /// The inference path from the first trainable block on: `embedding(x)` =
    /// `embedding(frozenActivations: frozenActivations(x, mode), mode)`.
    /// h: the frozen activations `[N, C, H, W]` (`[N, 3, H, W]` in full mode, `[N, D]` in head mode) → `[N, 512]`.
    public func embedding(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: Self.blockCount) else { return h }
        if mode.trainsStem { return embedding(h, compute: compute) }
        let blocks = flatBlocks
        let rest = { (x: Tensor, local: ComputeContext) -> Tensor in
            var y = x
            for block in blocks[first...] { y = block.forward(y, compute: local) }
            return self.pool.forward(y)
        }
        return h.shape[0] == 1 || compute.workers == 1 ? rest(h, compute) : h.mapBatchChunks(compute: compute) { rest($0, compute.withWorkers(1)) }
    }
}
