import Tensors

/// ResNet's two-convolution residual block:
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, shortcut = identity or 1×1 conv + BN.
///
/// x: `[N, Cin, H, W]` → `[N, Cout, H/s, W/s]`. The residual add and the final ReLU run inside
/// conv2's fused epilogue.
public struct BasicBlock: Module, Sendable {
    public internal(set) var conv1: ConvBNActivation        // 3×3 stride s, ReLU
    public internal(set) var conv2: ConvBNActivation        // 3×3, ReLU after the residual add
    public internal(set) var downsample: ConvBNActivation?  // 1×1 stride s, no activation

    public func forward(_ x: Tensor, compute: ComputeContext) -> Tensor {
        let shortcut = downsample?.forward(x, compute: compute) ?? x
        let h = conv1.forward(x, compute: compute)
        return conv2.forward(h, residual: shortcut, compute: compute)
    }

    /// The block at `path` (e.g. `layer2.0`) with torchvision's module names, unloaded.
    init(_ path: ModulePath, inChannels: Int, outChannels: Int, stride: Int) {
        let (eps, momentum) = (ResNet18.batchNormEps, ResNet18.batchNormMomentum)
        conv1 = ConvBNActivation(conv: path.child("conv1"), bn: path.child("bn1"), outChannels: outChannels,
                                 inPerGroup: inChannels, kernel: 3, stride: stride, padding: .symmetric(1),
                                 eps: eps, momentum: momentum, activation: .relu)
        conv2 = ConvBNActivation(conv: path.child("conv2"), bn: path.child("bn2"), outChannels: outChannels,
                                 inPerGroup: outChannels, kernel: 3, stride: 1, padding: .symmetric(1),
                                 eps: eps, momentum: momentum, activation: .relu)
        let shortcut = path.child("downsample")
        downsample = stride == 1 && inChannels == outChannels ? nil
            : ConvBNActivation(conv: shortcut.child(0), bn: shortcut.child(1), outChannels: outChannels,
                               inPerGroup: inChannels, kernel: 1, stride: stride, padding: .symmetric(0),
                               eps: eps, momentum: momentum, activation: .identity)
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        visitLayers { $0.visit(parameters: parameters, buffers: buffers) }
    }

    /// The block's convolution layers in module order.
    mutating func visitLayers(_ body: (inout ConvBNActivation) -> Void) {
        body(&conv1)
        body(&conv2)
        if downsample != nil { body(&downsample!) }
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
    public mutating func trainingForward(_ x: Tensor, batchStatistics: Bool, compute: ComputeContext) -> (output: Tensor, tape: BasicBlockTape) {
        let shortcut = downsample?.trainingForward(x, batchStatistics: batchStatistics, compute: compute)
        let h = conv1.trainingForward(x, batchStatistics: batchStatistics, compute: compute)
        let y = conv2.trainingForward(h.output, residual: shortcut?.output ?? x, batchStatistics: batchStatistics,
                                      compute: compute)
        return (y.output, BasicBlockTape(conv1: h.cache, conv2: y.cache, downsample: shortcut?.cache))
    }

    /// Walks the block backwards from dL/dy, adding every layer's parameter gradients; the gradient
    /// after the final ReLU feeds both conv2's BatchNorm and the shortcut.
    public mutating func backward(_ dy: Tensor, tape: BasicBlockTape, inputGradient: Bool, compute: ComputeContext) -> Tensor? {
        let (dh, dShortcut) = conv2.backward(dy, cache: tape.conv2, residualGradient: true, compute: compute)
        var dx = conv1.backward(dh!, cache: tape.conv1, inputGradient: inputGradient, compute: compute).input
        if downsample != nil, let cache = tape.downsample {
            let d = downsample!.backward(dShortcut!, cache: cache, inputGradient: inputGradient, compute: compute).input
            if let d { dx?.add(d, compute: compute) }
        } else if inputGradient {
            dx?.add(dShortcut!, compute: compute)
        }
        return dx
    }
}
