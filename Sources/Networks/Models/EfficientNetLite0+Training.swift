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

    public func frozenActivations(_ x: Tensor, mode: FineTuneMode, workers: Int) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else { return embedding(x, workers: workers) }
        if mode.trainsStem { return x }
        let prefix = { (image: Tensor, w: Int) -> Tensor in
            var h = self.stem.forward(image, workers: w)
            for block in self.blocks[..<first] { h = block.forward(h, workers: w) }
            return h
        }
        return x.shape[0] == 1 || workers == 1 ? prefix(x, workers) : x.mapImages(workers: workers) { prefix($0, 1) }
    }

    public mutating func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> (features: Tensor, tape: EfficientNetTape) {
        guard let first = mode.firstTrainableBlock(of: blocks.count) else {
            return (h, EfficientNetTape(stem: nil, firstBlock: blocks.count, blocks: [], head: nil))
        }
        let batch = mode.usesBatchStatistics
        var tape = EfficientNetTape(stem: nil, firstBlock: first, blocks: [], head: nil)
        var h = h
        if mode.trainsStem {
            let s = stem.trainingForward(h, batchStatistics: batch, workers: workers)
            (h, tape.stem) = (s.output, s.cache)
        }
        for i in first..<blocks.count {
            let b = blocks[i].trainingForward(h, batchStatistics: batch, workers: workers)
            h = b.output
            tape.blocks.append(b.tape)
        }
        let top = head.trainingForward(h, batchStatistics: batch, workers: workers)
        tape.head = top.cache
        return (pool.forward(top.output), tape)
    }

    public mutating func backward(_ dFeatures: Tensor, tape: EfficientNetTape, workers: Int) {
        guard let headCache = tape.head else { return }
        let (h, w) = (headCache.output.shape[2], headCache.output.shape[3])
        var dy = head.backward(pool.backward(dFeatures, height: h, width: w), cache: headCache, workers: workers).input!
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let needInput = tape.stem != nil || offset > 0
            guard let dx = blocks[tape.firstBlock + offset].backward(dy, tape: blockTape, inputGradient: needInput,
                                                                       workers: workers) else { return }
            dy = dx
        }
        if let stemCache = tape.stem {
            _ = stem.backward(dy, cache: stemCache, inputGradient: false, workers: workers)
        }
    }
}
