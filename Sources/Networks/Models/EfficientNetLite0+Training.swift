import Tensors

/// Caches of one EfficientNet-Lite0 training forward.
public struct EfficientNetTape: Sendable {
    var stem: ConvBNCache?
    var firstBlock: Int
    var blocks: [MBConvTape]
    var head: ConvBNCache?
}

extension EfficientNetLite0: TrainableBackbone {
    public static var blockCount: Int { blockConfigurations.count }

    public func frozenActivations(_ x: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else { return embedding(x, compute: compute) }
        if mode.trainsStem { return x }
        let prefix = { (image: Tensor, local: ComputeContext) -> Tensor in
            var h = self.stem.forward(image, compute: local)
            for block in self.blocks[..<first] { h = block.forward(h, compute: local) }
            return h
        }
        return x.shape[0] == 1 || compute.workers == 1 ? prefix(x, compute) : x.mapImages(compute: compute) { prefix($0, compute.withWorkers(1)) }
    }

    public mutating func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> (features: Tensor, tape: EfficientNetTape) {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else {
            return (h, EfficientNetTape(stem: nil, firstBlock: blocks.count, blocks: [], head: nil))
        }
        let batch = mode.usesBatchStatistics
        var tape = EfficientNetTape(stem: nil, firstBlock: first, blocks: [], head: nil)
        var h = h
        if mode.trainsStem {
            let s = stem.trainingForward(h, batchStatistics: batch, compute: compute)
            (h, tape.stem) = (s.output, s.cache)
        }
        for i in first..<blocks.count {
            let b = blocks[i].trainingForward(h, batchStatistics: batch, compute: compute)
            h = b.output
            tape.blocks.append(b.tape)
        }
        let top = head.trainingForward(h, batchStatistics: batch, compute: compute)
        tape.head = top.cache
        return (pool.forward(top.output), tape)
    }

    public mutating func backward(_ dFeatures: Tensor, tape: EfficientNetTape, compute: ComputeContext) {
        guard let headCache = tape.head else { return }
        let (h, w) = (headCache.output.shape[2], headCache.output.shape[3])
        var dy = head.backward(pool.backward(dFeatures, height: h, width: w), cache: headCache, compute: compute).input!
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let needInput = tape.stem != nil || offset > 0
            guard let dx = blocks[tape.firstBlock + offset].backward(dy, tape: blockTape, inputGradient: needInput,
                                                                       compute: compute) else { return }
            dy = dx
        }
        if let stemCache = tape.stem {
            _ = stem.backward(dy, cache: stemCache, inputGradient: false, compute: compute)
        }
    }
}
