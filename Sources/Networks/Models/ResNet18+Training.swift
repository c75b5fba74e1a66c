import Tensors

/// Caches of one ResNet18 training forward.
public struct ResNet18Tape: Sendable {
    var stem: ConvBNCache?
    /// The stem's max pooling: which input position won each window, and the input's shape.
    var poolWinners: (winners: [Int32], inputShape: [Int])?
    var firstBlock: Int
    var blocks: [BasicBlockTape]
    var finalShape: [Int]
}

extension ResNet18: TrainableBackbone {
    public static var blockCount: Int { stageChannels.count * blocksPerStage }

    /// The 8 BasicBlocks in order (torchvision's `layer1.0` … `layer4.1`).
    var flatBlocks: [BasicBlock] { layers.flatMap { $0 } }

    public func frozenActivations(_ x: Tensor, mode: FineTuneMode, compute: ComputeContext) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: Self.blockCount) else { return embedding(x, compute: compute) }
        if mode.trainsStem { return x }
        let blocks = flatBlocks
        let prefix = { (image: Tensor, local: ComputeContext) -> Tensor in
            var h = self.maxPool.forward(self.stem.forward(image, compute: local), compute: local)
            for block in blocks[..<first] { h = block.forward(h, compute: local) }
            return h
        }
        return x.shape[0] == 1 || compute.workers == 1 ? prefix(x, compute) : x.mapImages(compute: compute) { prefix($0, compute.withWorkers(1)) }
    }

    public mutating func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, compute: ComputeContext) -> (features: Tensor, tape: ResNet18Tape) {
        guard let first = mode.firstTrainableBlock(of: Self.blockCount) else {
            return (h, ResNet18Tape(stem: nil, poolWinners: nil, firstBlock: Self.blockCount, blocks: [], finalShape: []))
        }
        let batch = mode.usesBatchStatistics
        var tape = ResNet18Tape(stem: nil, poolWinners: nil, firstBlock: first, blocks: [], finalShape: [])
        var h = h
        if mode.trainsStem {
            let s = stem.trainingForward(h, batchStatistics: batch, compute: compute)
            let pooled = maxPool.trainingForward(s.output, compute: compute)
            (tape.stem, tape.poolWinners, h) = (s.cache, (pooled.winners, s.output.shape), pooled.output)
        }
        for k in first..<Self.blockCount {
            let r = layers[k / Self.blocksPerStage][k % Self.blocksPerStage].trainingForward(h, batchStatistics: batch,
                                                                                            compute: compute)
            h = r.output
            tape.blocks.append(r.tape)
        }
        tape.finalShape = h.shape
        return (pool.forward(h), tape)
    }

    public mutating func backward(_ dFeatures: Tensor, tape: ResNet18Tape, compute: ComputeContext) {
        guard tape.finalShape.count == 4 else { return }
        var dy = pool.backward(dFeatures, height: tape.finalShape[2], width: tape.finalShape[3])
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let k = tape.firstBlock + offset
            let needInput = tape.stem != nil || offset > 0
            guard let dx = layers[k / Self.blocksPerStage][k % Self.blocksPerStage]
                .backward(dy, tape: blockTape, inputGradient: needInput, compute: compute) else { return }
            dy = dx
        }
        if let stemCache = tape.stem, let pool = tape.poolWinners {
            let dStem = maxPool.backward(dy, winners: pool.winners, inputShape: pool.inputShape, compute: compute)
            _ = stem.backward(dStem, cache: stemCache, inputGradient: false, compute: compute)
        }
    }
}
