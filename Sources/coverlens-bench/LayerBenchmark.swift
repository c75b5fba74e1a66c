import Foundation
import Networks
import Tensors

/// A backbone layer by layer: CPU milliseconds per image and GFLOP per CPU-second of every
/// convolution (and ResNet18's max pool), run the way `embedding` runs them inside one worker (a
/// sub-batch, one worker). Shows where a change to a kernel moves the time.
enum LayerBenchmark {
    static let oneWorker = ComputeContext(workers: 1)

    /// The layer's module path as the model tree named it (`layer2.0.conv1`, `layer2.0.downsample.0`).
    static func label(_ layer: ConvBNActivation) -> String {
        String(layer.conv.weight.name.dropLast(".weight".count))
    }

    static func run(model: String, batch: Int, seconds: Double) throws {
        if model == "efficientnet-lite0" { return try runEfficientNet(batch: batch, seconds: seconds) }
        let net = try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes()))
        var rows: [(String, ConvBNActivation?, Tensor, Tensor?)] = []   // name, layer, input, residual
        var h = Tensor(shape: [batch, 3, 224, 224], repeating: 0.1)
        let stemOut = net.stem.forward(h, compute: oneWorker)
        rows.append(("stem 7×7/2", net.stem, h, nil))
        h = net.maxPool.forward(stemOut, compute: oneWorker)
        rows.append(("max pool", nil, stemOut, nil))
        for blocks in net.layers {
            for block in blocks {
                let shortcut = block.downsample?.forward(h, compute: oneWorker) ?? h
                if let d = block.downsample { rows.append((label(d), d, h, nil)) }
                let mid = block.conv1.forward(h, compute: oneWorker)
                rows.append((label(block.conv1), block.conv1, h, nil))
                rows.append((label(block.conv2), block.conv2, mid, shortcut))
                h = block.conv2.forward(mid, residual: shortcut, compute: oneWorker)
            }
        }
        var total = 0.0
        for (name, layer, input, residual) in rows {
            let perImage = cpuSecondsPerImage(batch: batch, seconds: seconds / Double(rows.count)) {
                if let layer { _ = layer.forward(input, residual: residual, compute: oneWorker) }
                else { _ = net.maxPool.forward(input, compute: oneWorker) }
            }
            total += perImage
            var line = name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %7.2f ms per image", perImage * 1000)
            if let layer {
                let flops = directFlops(layer, output: layer.forward(input, residual: residual, compute: oneWorker))
                line += String(format: " | %6.1f direct-convolution GFLOP per CPU-second", flops / perImage / 1e9)
            }
            print(line)
        }
        print(String(format: "total %.2f ms per image (%.1f images per CPU-second), batch %d, 1 worker", total * 1000, 1 / total, batch))
    }

    /// EfficientNet-Lite0: the stem, each block's expansion, depthwise and projection layers (labelled
    /// `_blocks.N._depthwise_conv k5/2` and so on), and the head.
    private static func runEfficientNet(batch: Int, seconds: Double) throws {
        let net = try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes()))
        var rows: [(String, ConvBNActivation, Tensor, Tensor?)] = []   // name, layer, input, residual
        var h = Tensor(shape: [batch, 3, 224, 224], repeating: 0.1)
        func add(_ layer: ConvBNActivation, _ x: Tensor, residual: Tensor? = nil) -> Tensor {
            let conv = layer.conv
            let shape = conv.isDepthwise ? " k\(conv.kernelSize)/\(conv.stride)" : ""
            rows.append((label(layer) + shape, layer, x, residual))
            return layer.forward(x, residual: residual, compute: oneWorker)
        }
        h = add(net.stem, h)
        for block in net.blocks {
            let input = h
            if let expand = block.expand { h = add(expand, h) }
            h = add(block.depthwise, h)
            h = add(block.project, h, residual: block.configuration.hasResidual ? input : nil)
        }
        _ = add(net.head, h)
        var total = 0.0, depthwise = 0.0
        for (name, layer, input, residual) in rows {
            let perImage = cpuSecondsPerImage(batch: batch, seconds: seconds / Double(rows.count)) {
                _ = layer.forward(input, residual: residual, compute: oneWorker)
            }
            total += perImage
            if layer.conv.isDepthwise { depthwise += perImage }
            print(line(name, layer, input: input, residual: residual, perImage: perImage))
        }
        print(String(format: "depthwise layers %.2f ms per image (%.0f %%)", depthwise * 1000, depthwise / total * 100))
        print(String(format: "total %.2f ms per image (%.1f images per CPU-second), batch %d, 1 worker", total * 1000, 1 / total, batch))
    }

    /// One layer's line: its time per image and its direct convolution's GFLOP per CPU-second.
    private static func line(_ name: String, _ layer: ConvBNActivation, input: Tensor, residual: Tensor?,
                             perImage: Double) -> String {
        let out = layer.forward(input, residual: residual, compute: oneWorker)
        let flops = directFlops(layer, output: out)
        return name.padding(toLength: 34, withPad: " ", startingAt: 0)
            + String(format: " %7.3f ms per image | %6.1f GFLOP per CPU-second | %d×%d → %d×%d×%d", perImage * 1000,
                     flops / perImage / 1e9, input.shape[2], input.shape[3], out.shape[1], out.shape[2], out.shape[3])
    }

    /// The layer's direct convolution's floating-point operations per image (two per multiply-add;
    /// a depthwise layer's output channel sees one input channel).
    private static func directFlops(_ layer: ConvBNActivation, output: Tensor) -> Double {
        let conv = layer.conv
        let macsPerOutput = conv.inChannels / conv.groups * conv.kernelSize * conv.kernelSize
        return 2.0 * Double(conv.outChannels * macsPerOutput * output.shape[2] * output.shape[3])
    }

    /// CPU seconds per image of `body` on a batch of `batch` images, repeated for about `seconds` of CPU time.
    private static func cpuSecondsPerImage(batch: Int, seconds: Double, _ body: () -> Void) -> Double {
        secondsPerImage(batch: batch, seconds: seconds, clock: cpuTime, body)
    }

    /// Seconds of `clock` per image of `body` on a batch of `batch` images, after one run to warm up,
    /// repeated for about `seconds` of that clock.
    static func secondsPerImage(batch: Int, seconds: Double, clock: () -> Double, _ body: () -> Void) -> Double {
        body()
        var runs = 0
        let c0 = clock()
        repeat {
            body()
            runs += 1
        } while clock() - c0 < seconds
        return (clock() - c0) / Double(runs * batch)
    }
}
