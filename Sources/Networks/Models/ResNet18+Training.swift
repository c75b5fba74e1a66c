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
    /// The 8 BasicBlocks in order with their torchvision prefixes ("layer1.0" … "layer4.1").
    var flatBlocks: [(prefix: String, block: BasicBlock)] {
        layers.enumerated().flatMap { stage, blocks in
            blocks.enumerated().map { (prefix: "layer\(stage + 1).\($0.offset)", block: $0.element) }
        }
    }

    public static func isTrainable(_ name: String, mode: FineTuneMode) -> Bool {
        guard let first = mode.firstTrainableBlock(of: 8) else { return false }
        if let stage = blockIndex(of: name, prefix: "layer") {
            let inStage = Int(name.split(separator: ".")[1]) ?? 0
            return (stage - 1) * 2 + inStage >= first
        }
        return mode.trainsStem   // conv1, bn1 (fc is the head, not part of the backbone)
    }

    public func frozenActivations(_ x: Tensor, mode: FineTuneMode, workers: Int) -> Tensor {
        guard let first = mode.firstTrainableBlock(of: 8) else { return embedding(x, workers: workers) }
        if mode.trainsStem { return x }
        let blocks = flatBlocks
        let prefix = { (image: Tensor, w: Int) -> Tensor in
            var h = self.maxPool.forward(self.stem.forward(image, workers: w), workers: w)
            for b in blocks[..<first] { h = b.block.forward(h, workers: w) }
            return h
        }
        return x.shape[0] == 1 || workers == 1 ? prefix(x, workers) : x.mapImages(workers: workers) { prefix($0, 1) }
    }

    public func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> (features: Tensor, tape: ResNet18Tape) {
        guard let first = mode.firstTrainableBlock(of: 8) else {
            return (h, ResNet18Tape(stem: nil, poolInput: nil, firstBlock: 8, blocks: [], finalShape: []))
        }
        let batch = mode.usesBatchStatistics
        var tape = ResNet18Tape(stem: nil, poolInput: nil, firstBlock: first, blocks: [], finalShape: [])
        var h = h
        if mode.trainsStem {
            let s = stem.trainingForward(h, batchStatistics: batch, workers: workers)
            (tape.stem, tape.poolInput) = (s.cache, s.output)
            h = maxPool.forward(s.output, workers: workers)
        }
        for b in flatBlocks[first...] {
            let r = b.block.trainingForward(h, batchStatistics: batch, workers: workers)
            h = r.output
            tape.blocks.append(r.tape)
        }
        tape.finalShape = h.shape
        return (pool.forward(h), tape)
    }

    public func backward(_ dFeatures: Tensor, tape: ResNet18Tape, gradients: inout ParameterSet, workers: Int) {
        guard tape.finalShape.count == 4 else { return }
        var dy = pool.backward(dFeatures, height: tape.finalShape[2], width: tape.finalShape[3])
        let blocks = flatBlocks
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let b = blocks[tape.firstBlock + offset]
            let needInput = tape.stem != nil || offset > 0
            guard let dx = b.block.backward(dy, tape: blockTape, prefix: b.prefix, gradients: &gradients,
                                            inputGradient: needInput, workers: workers) else { return }
            dy = dx
        }
        if let stemCache = tape.stem, let poolInput = tape.poolInput {
            let dStem = maxPool.backward(dy, input: poolInput, workers: workers)
            _ = stem.backward(dStem, cache: stemCache, gradients: &gradients, convName: "conv1", bnName: "bn1",
                              inputGradient: false, workers: workers)
        }
    }

    public func batchStatistics(in tape: ResNet18Tape) -> [(batchNorm: String, statistics: BatchStatistics)] {
        var s: [(String, BatchStatistics)] = []
        if let stem = tape.stem { s.append(("bn1", stem.statistics)) }
        let blocks = flatBlocks
        for (offset, blockTape) in tape.blocks.enumerated() {
            let b = blocks[tape.firstBlock + offset]
            s += b.block.statistics(blockTape, prefix: b.prefix)
        }
        return s.filter { $0.1.isBatch }.map { (batchNorm: $0.0, statistics: $0.1) }
    }
}
