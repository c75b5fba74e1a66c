import Tensors

/// ResNet's two-convolution residual block:
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, shortcut = identity or 1×1 conv + BN.
///
/// x: `[N, Cin, H, W]` → `[N, Cout, H/s, W/s]`. The residual add and the final ReLU run inside
/// conv2's fused epilogue.
public struct BasicBlock: Sendable {
    public let conv1: ConvBNActivation   // 3×3 stride s, ReLU
    public let conv2: ConvBNActivation   // 3×3, ReLU after the residual add
    public let downsample: ConvBNActivation?   // 1×1 stride s, no activation

    public func forward(_ x: Tensor, workers: Int) -> Tensor {
        let shortcut = downsample?.forward(x, workers: workers) ?? x
        let h = conv1.forward(x, workers: workers)
        return conv2.forward(h, residual: shortcut, workers: workers)
    }

    /// torchvision's names under `prefix` (e.g. "layer2.0") in module order.
    static func parameterShapes(prefix: String, inChannels: Int, outChannels: Int, stride: Int) -> [(name: String, shape: [Int])] {
        var shapes = convBNShapes(conv: "\(prefix).conv1", bn: "\(prefix).bn1", out: outChannels, inPerGroup: inChannels, kernel: 3)
        shapes += convBNShapes(conv: "\(prefix).conv2", bn: "\(prefix).bn2", out: outChannels, inPerGroup: outChannels, kernel: 3)
        if stride != 1 || inChannels != outChannels {
            shapes += convBNShapes(conv: "\(prefix).downsample.0", bn: "\(prefix).downsample.1",
                                   out: outChannels, inPerGroup: inChannels, kernel: 1)
        }
        return shapes
    }

    init(_ w: WeightLoader, prefix: String, inChannels: Int, outChannels: Int, stride: Int) throws {
        let (eps, momentum) = (ResNet18.batchNormEps, ResNet18.batchNormMomentum)
        conv1 = try w.convBN(conv: "\(prefix).conv1", bn: "\(prefix).bn1", stride: stride, padding: .symmetric(1),
                             eps: eps, momentum: momentum, activation: .relu)
        conv2 = try w.convBN(conv: "\(prefix).conv2", bn: "\(prefix).bn2", stride: 1, padding: .symmetric(1),
                             eps: eps, momentum: momentum, activation: .relu)
        if stride != 1 || inChannels != outChannels {
            downsample = try w.convBN(conv: "\(prefix).downsample.0", bn: "\(prefix).downsample.1", stride: stride,
                                      padding: .symmetric(0), eps: eps, momentum: momentum, activation: .identity)
        } else {
            downsample = nil
        }
    }
}

// MARK: - Training

/// The caches of one BasicBlock's training forward.
public struct BasicBlockTape: Sendable {
    var conv1: ConvBNCache
    var conv2: ConvBNCache
    var downsample: ConvBNCache?
}

extension BasicBlock {
    /// x `[N, Cin, H, W]` → y, on the unfolded parameters (see `ConvBNActivation.trainingForward`).
    public func trainingForward(_ x: Tensor, batchStatistics: Bool, workers: Int) -> (output: Tensor, tape: BasicBlockTape) {
        let shortcut = downsample?.trainingForward(x, batchStatistics: batchStatistics, workers: workers)
        let h = conv1.trainingForward(x, batchStatistics: batchStatistics, workers: workers)
        let y = conv2.trainingForward(h.output, residual: shortcut?.output ?? x, batchStatistics: batchStatistics,
                                      workers: workers)
        return (y.output, BasicBlockTape(conv1: h.cache, conv2: y.cache, downsample: shortcut?.cache))
    }

    /// Walks the block backwards from dL/dy, adding parameter gradients under `prefix` ("layer2.0");
    /// the gradient after the final ReLU feeds both conv2's BatchNorm and the shortcut.
    public func backward(_ dy: Tensor, tape: BasicBlockTape, prefix: String, gradients: inout ParameterSet,
                         inputGradient: Bool, workers: Int) -> Tensor? {
        let (dh, dShortcut) = conv2.backward(dy, cache: tape.conv2, gradients: &gradients, convName: "\(prefix).conv2",
                                             bnName: "\(prefix).bn2", residualGradient: true, workers: workers)
        var dx = conv1.backward(dh!, cache: tape.conv1, gradients: &gradients, convName: "\(prefix).conv1",
                                bnName: "\(prefix).bn1", inputGradient: inputGradient, workers: workers).input
        if let downsample, let cache = tape.downsample {
            let d = downsample.backward(dShortcut!, cache: cache, gradients: &gradients, convName: "\(prefix).downsample.0",
                                        bnName: "\(prefix).downsample.1", inputGradient: inputGradient, workers: workers).input
            if let d { dx?.add(d) }
        } else if inputGradient {
            dx?.add(dShortcut!)
        }
        return dx
    }

    func statistics(_ tape: BasicBlockTape, prefix: String) -> [(String, BatchStatistics)] {
        var s = [("\(prefix).bn1", tape.conv1.statistics), ("\(prefix).bn2", tape.conv2.statistics)]
        if let d = tape.downsample { s.append(("\(prefix).downsample.1", d.statistics)) }
        return s
    }
}
