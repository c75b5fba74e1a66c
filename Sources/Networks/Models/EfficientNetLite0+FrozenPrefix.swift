import Tensors

extension EfficientNetLite0 {
    /// The inference path from the first trainable block on: `embedding(x)` =
    /// `embedding(frozenActivations: frozenActivations(x, mode), mode)`.
    /// h: the frozen activations `[N, C, H, W]` (`[N, 3, H, W]` in full mode, `[N, D]` in head mode) → `[N, 1280]`.
    public func embedding(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else { return h }
        if mode.trainsStem { return embedding(h, compute: compute) }
        let rest = { (x: Tensor, local: ComputeContext) -> Tensor in
            var y = x
            for block in self.blocks[first...] { y = block.forward(y, compute: local) }
            return self.pool.forward(self.head.forward(y, compute: local))
        }
        return h.shape[0] == 1 || compute.workers == 1 ? rest(h, compute) : h.mapImages(compute: compute) { rest($0, compute.withWorkers(1)) }
    }
}
