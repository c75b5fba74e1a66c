import Tensors

/// Caches of one ResNet18 training forward.
public struct ResNet18Tape: Sendable {
    var stem: ConvBNCache?
    var poolInput: Tensor?
    var firstBlock: Int
    var blocks: [BasicBlockTape]
    var finalShape: [Int]
}

extension ResNet18: TrainableBackbone {
    public static var blockCount: Int { stageChannels.count * blocksPerStage }

    /// The 8 BasicBlocks in order (torchvision's `layer1.0` … `layer4.1`).
    var flatBlocks: [BasicBlock] { layers.flatMap { $0 } }

    public func frozenActivations(_ x: Tensor, mode: FineTuneMode, workers: Int) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: Self.blockCount) else { return embedding(x, workers: workers) }
        if mode.trainsStem { return x }
        let blocks = flatBlocks
        let prefix = { (image: Tensor, w: Int) -> Tensor in
            var h = self.maxPool.forward(self.stem.forward(image, workers: w), workers: w)
            for block in blocks[..<first] { h = block.forward(h, workers: w) }
            return h
        }
        return x.shape[0] == 1 || workers == 1 ? prefix(x, workers) : x.mapImages(workers: workers) { prefix($0, 1) }
    }

    public mutating func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> (features: Tensor, tape: ResNet18Tape) {
        guard let first = mode.firstTrainableBlock(of: Self.blockCount) else {
            return (h, ResNet18Tape(stem: nil, poolInput: nil, firstBlock: Self.blockCount, blocks: [], finalShape: []))
        }
        let batch = mode.usesBatchStatistics
        var tape = ResNet18Tape(stem: nil, poolInput: nil, firstBlock: first, blocks: [], finalShape: [])
        var h = h
        if mode.trainsStem {
            let s = stem.trainingForward(h, batchStatistics: batch, workers: workers)
            (tape.stem, tape.poolInput) = (s.cache, s.output)
            h = maxPool.forward(s.output, workers: workers)
        }
        for k in first..<Self.blockCount {
            let r = layers[k / Self.blocksPerStage][k % Self.blocksPerStage].trainingForward(h, batchStatistics: batch,
                                                                                            workers: workers)
            h = r.output
            tape.blocks.append(r.tape)
        }
        tape.finalShape = h.shape
        return (pool.forward(h), tape)
    }

    public mutating func backward(_ dFeatures: Tensor, tape: ResNet18Tape, workers: Int) {
        guard tape.finalShape.count == 4 else { return }
        var dy = pool.backward(dFeatures, height: tape.finalShape[2], width: tape.finalShape[3])
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let k = tape.firstBlock + offset
            let needInput = tape.stem != nil || offset > 0
            guard let dx = layers[k / Self.blocksPerStage][k % Self.blocksPerStage]
                .backward(dy, tape: blockTape, inputGradient: needInput, workers: workers) else { return }
            dy = dx
        }
        if let stemCache = tape.stem, let poolInput = tape.poolInput {
            let dStem = maxPool.backward(dy, input: poolInput, workers: workers)
            _ = stem.backward(dStem, cache: stemCache, inputGradient: false, workers: workers)
        }
    }
}
