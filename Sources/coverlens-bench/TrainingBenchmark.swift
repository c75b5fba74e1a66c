import Foundation
import Networks
import Support
import Tensors

/// Training throughput: full optimiser steps (forward in training mode, BCE loss, backward, Adam,
/// refold) of a backbone with a 1-logit head, in images per second.
enum TrainingBenchmark {
    /// "full", "full-frozen-bn", "partial:N" or "head".
    static func mode(_ text: String) -> FineTuneMode? {
        switch text {
        case "full": return .full(freezeBatchNorm: false)
        case "full-frozen-bn": return .full(freezeBatchNorm: true)
        case "head": return .head
        default:
            guard text.hasPrefix("partial:"), let k = Int(text.dropFirst(8)) else { return nil }
            return .partial(lastBlocks: k)
        }
    }

    static func run<Network: TrainableBackbone>(_ type: Network.Type, name: String, architecture: ModelArchitecture, mode: FineTuneMode,
                                                batches: [Int], seconds: Double, dropout: Float,
                                                compute: ComputeContext) throws {
        var generator = SeededGenerator(seed: 0)
        let weights = FormulaWeights.stateDict(Network.parameterShapes(classes: nil))
        let head = Linear(inFeatures: architecture.embeddingDimension, outFeatures: 1, path: ModulePath(architecture.classifierPrefix),
                          generator: &generator)
        var model = try FineTuningModel<Network>(stateDict: weights, head: head, mode: mode, dropoutRate: dropout)
        var adam = Adam(learningRate: 1e-4)
        for batch in batches {
            var x = Tensor(shape: [batch, 3, 224, 224])
            for i in x.storage.indices { x.storage[i] = generator.uniformFloat(-1, 1) }
            let y = Tensor(shape: [batch, 1], storage: (0..<batch).map { Float($0 % 2) })
            func step() {
                model.zeroGradients()
                _ = model.forwardBackward(x, targets: y, loss: BCEWithLogits(), generator: &generator, compute: compute)
                model.updateParameters(refold: false) { adam.update(&$0, compute: compute) }   // as FineTuneSession: folded once per epoch
            }
            step()   // warm-up
            var images = 0
            let (t0, c0) = (now(), cpuTime())
            repeat {
                step()
                images += batch
            } while now() - t0 < seconds
            let rate = Double(images) / (now() - t0)
            let perCPU = Double(images) / (cpuTime() - c0)
            // Images per CPU-second is the code's own speed on a shared machine; times the worker
            // count it estimates the rate on that many otherwise idle cores.
            print(String(format: "%-18@ train %@ batch %3d: %6.2f img/s wall | %5.2f img per CPU-second | %d idle cores: ~%.1f img/s",
                         name as NSString, mode.description as NSString, batch, rate, perCPU,
                         compute.workers, perCPU * Double(compute.workers)))
        }
    }
}
