import Foundation
import Networks
import Tensors

/// ResNet18's convolutions in training, layer by layer: wall milliseconds per image of the
/// training forward, the weight gradient and the input gradient, on a batch and with the workers
/// training uses (`--layers train`). Shows which pass of which layer a change to a training kernel
/// moves; the max pool's backward and BatchNorm are not in it.
enum TrainingLayerBenchmark {
    static func run(batch: Int, seconds: Double, compute: ComputeContext) throws {
        let net = try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes()))
        var layers: [(String, Conv2d, Tensor)] = []   // name, convolution, its input
        var h = Tensor(shape: [batch, 3, 224, 224], repeating: 0.1)
        layers.append(("conv1 7×7/2", net.stem.conv, h))
        h = net.maxPool.forward(net.stem.forward(h, compute: compute), compute: compute)
        for blocks in net.layers {
            for block in blocks {
                let shortcut = block.downsample?.forward(h, compute: compute) ?? h
                if let d = block.downsample { layers.append((LayerBenchmark.label(d), d.conv, h)) }
                let mid = block.conv1.forward(h, compute: compute)
                layers.append((LayerBenchmark.label(block.conv1), block.conv1.conv, h))
                layers.append((LayerBenchmark.label(block.conv2), block.conv2.conv, mid))
                h = block.conv2.forward(mid, residual: shortcut, compute: compute)
            }
        }
        print("ResNet18 training convolutions, batch \(batch), \(compute.workers) workers, wall ms per image: forward | weight gradient | input gradient")
        var totals = (0.0, 0.0, 0.0)
        let share = seconds / Double(layers.count * 3)
        for (name, conv, x) in layers {
            let (y, winograd) = conv.trainingForwardKeepingWeights(x, compute: compute)   // kept for backward, as in training
            let dy = Tensor(shape: y.shape, repeating: 0.01)
            let forward = wallSecondsPerImage(batch: batch, seconds: share) { _ = conv.trainingForward(x, compute: compute) }
            var weightOnly = conv
            let weights = wallSecondsPerImage(batch: batch, seconds: share) {
                _ = weightOnly.backward(dy, input: x, inputGradient: false, compute: compute)
            }
            var both = conv
            let all = wallSecondsPerImage(batch: batch, seconds: share) { _ = both.backward(dy, input: x, winograd: winograd, compute: compute) }
            let input = name.hasPrefix("conv1") ? 0 : max(0, all - weights)
            totals = (totals.0 + forward, totals.1 + weights, totals.2 + input)
            print(name.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: " %7.3f | %7.3f | %7.3f", forward * 1000, weights * 1000, input * 1000))
        }
        print(String(format: "total %.2f | %.2f | %.2f ms per image (the input gradient as backward with it minus without; none for conv1)",
                     totals.0 * 1000, totals.1 * 1000, totals.2 * 1000))
    }

    private static func wallSecondsPerImage(batch: Int, seconds: Double, _ body: () -> Void) -> Double {
        LayerBenchmark.secondsPerImage(batch: batch, seconds: seconds, clock: { Date().timeIntervalSinceReferenceDate }, body)
    }
}
