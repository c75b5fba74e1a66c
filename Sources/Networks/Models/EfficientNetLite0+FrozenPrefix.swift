import Tensors

extension EfficientNetLite0 {
    /// The inference path from the first trainable block on: `embedding(x)` =
    /// `embedding(frozenActivations: frozenActivations(x, mode), mode)`.
    /// h: the frozen activations `[N, C, H, W]` (`[N, 3, H, W]` in full mode, `[N, D]` in head mode) → `[N, 1280]`.
    public func embedding(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else { return h }
        if mode.trainsStem { return embedding(h, workers: workers) }
        let rest = { (x: Tensor, w: Int) -> Tensor in
            var y = x
            for block in self.blocks[first...] { y = block.forward(y, workers: w) }
            return self.pool.forward(self.head.forward(y, workers: w))
        }
        return h.shape[0] == 1 || workers == 1 ? rest(h, workers) : h.mapImages(workers: workers) { rest($0, 1) }
    }
}
