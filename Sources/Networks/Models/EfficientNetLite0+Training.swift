import Tensors

/// Caches of one EfficientNet-Lite0 training forward.
public struct EfficientNetTape: Sendable {
    var stem: ConvBNCache?
    var firstBlock: Int
    var blocks: [MBConvTape]
    var head: ConvBNCache?
}

extension EfficientNetLite0: TrainableBackbone {
    public static func isTrainable(_ name: String, mode: FineTuneMode) -> Bool {
        guard let first = mode.firstTrainableBlock(of: blockConfigurations.count) else { return false }
        if let block = blockIndex(of: name, prefix: "_blocks.") { return block >= first }
        if name.hasPrefix("_conv_stem.") || name.hasPrefix("_bn0.") { return mode.trainsStem }
        return true   // _conv_head, _bn1
    }

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

    public func trainingForward(frozenActivations h: Tensor, mode: FineTuneMode, workers: Int) -> (features: Tensor, tape: EfficientNetTape) {
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
        for block in blocks[first...] {
            let b = block.trainingForward(h, batchStatistics: batch, workers: workers)
            h = b.output
            tape.blocks.append(b.tape)
        }
        let top = head.trainingForward(h, batchStatistics: batch, workers: workers)
        tape.head = top.cache
        return (pool.forward(top.output), tape)
    }

    public func backward(_ dFeatures: Tensor, tape: EfficientNetTape, gradients: inout ParameterSet, workers: Int) {
        guard let headCache = tape.head else { return }
        let (h, w) = (headCache.output.shape[2], headCache.output.shape[3])
        var dy = head.backward(pool.backward(dFeatures, height: h, width: w), cache: headCache, gradients: &gradients,
                               convName: "_conv_head", bnName: "_bn1", workers: workers).input!
        for (offset, blockTape) in tape.blocks.enumerated().reversed() {
            let i = tape.firstBlock + offset
            let needInput = tape.stem != nil || offset > 0
            guard let dx = blocks[i].backward(dy, tape: blockTape, prefix: "_blocks.\(i)", gradients: &gradients,
                                              inputGradient: needInput, workers: workers) else { return }
            dy = dx
        }
        if let stemCache = tape.stem {
            _ = stem.backward(dy, cache: stemCache, gradients: &gradients, convName: "_conv_stem", bnName: "_bn0",
                              inputGradient: false, workers: workers)
        }
    }

    public func batchStatistics(in tape: EfficientNetTape) -> [(batchNorm: String, statistics: BatchStatistics)] {
        var s: [(String, BatchStatistics)] = []
        if let stem = tape.stem { s.append(("_bn0", stem.statistics)) }
        for (offset, blockTape) in tape.blocks.enumerated() {
            let i = tape.firstBlock + offset
            s += blocks[i].statistics(blockTape, prefix: "_blocks.\(i)")
        }
        if let head = tape.head { s.append(("_bn1", head.statistics)) }
        return s.filter { $0.1.isBatch }.map { (batchNorm: $0.0, statistics: $0.1) }
    }
}
