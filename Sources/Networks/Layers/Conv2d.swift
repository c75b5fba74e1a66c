import Support
import Tensors

/// A 2-D convolution over NCHW batches: dense (`groups == 1`) or depthwise (`groups == channels`).
///
/// x: `[N, Cin, H, W]` → y: `[N, Cout, Ho, Wo]`; weight `[Cout, Cin/groups, k, k]` in PyTorch's layout,
/// so checkpoints load without transposition. Dense convolutions run as im2col + GEMM (1×1 stride-1
/// ones straight as GEMM; 3×3 stride-1 ones as Winograd, in training too, forward and input
/// gradient), depthwise ones on their own SIMD kernel: as a GEMM they would be `Cout`
/// matrix-vector products with k² terms each, all overhead.
public struct Conv2d: Module, Sendable {
    public var weight: Parameter   // [Cout, Cin/groups, k, k]
    public var bias: Parameter?    // [Cout]
    public let stride: Int
    public let padding: Padding
    public let groups: Int

    /// `weight` must be `[Cout, Cin/groups, k, k]` with a square kernel; `groups` is 1 or Cout (depthwise).
    /// `path` names the tensors (`path.weight`, `path.bias`) in the model the layer belongs to.
    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Padding, groups: Int = 1,
                path: ModulePath = .root) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3], "conv weight \(weight.shape)")
        precondition(groups == 1 || (groups == weight.shape[0] && weight.shape[1] == 1),
                     "only dense and depthwise convolutions are supported (groups \(groups), weight \(weight.shape))")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "conv bias \(bias!.shape)")
        self.weight = Parameter(name: path.key("weight"), value: weight)
        self.bias = bias.map { Parameter(name: path.key("bias"), value: $0) }
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    public mutating func visit(parameters: (inout Parameter) -> Void, buffers: (inout Buffer) -> Void) {
        parameters(&weight)
        if bias != nil { parameters(&bias!) }
    }

    public var outChannels: Int { weight.shape[0] }
    public var inChannels: Int { weight.shape[1] * groups }
    public var kernelSize: Int { weight.shape[2] }
    public var isDepthwise: Bool { groups > 1 }

    public func geometry(for x: Tensor) -> ConvolutionGeometry {
        padding.geometry(height: x.shape[2], width: x.shape[3], kernel: kernelSize, stride: stride)
    }

    /// The plain convolution (plus its own bias, if any).
    public func forward(_ x: Tensor, compute: ComputeContext) -> Tensor {
        let b = bias?.value.storage ?? [Float](repeating: 0, count: outChannels)
        return forward(x, matrix: weightMatrix(weight.value), bias: b, residual: nil, activation: .identity, compute: compute)
    }

    /// The plain convolution on the weights as they are now, for training: a 3×3 stride-1 one as
    /// Winograd, its weights transformed afresh (they change at every step).
    public func trainingForward(_ x: Tensor, compute: ComputeContext) -> Tensor {
        trainingForwardKeepingWeights(x, compute: compute).output
    }

    /// `trainingForward`, and the transformed weights it used (nil unless Winograd), for `backward`
    /// to take its input gradient through instead of transforming the weights again.
    public func trainingForwardKeepingWeights(_ x: Tensor, compute: ComputeContext) -> (output: Tensor, winograd: Tensor?) {
        let b = bias?.value.storage ?? [Float](repeating: 0, count: outChannels)
        let matrix = weightMatrix(weight.value)
        let winograd = suitsWinograd
            ? Tensor.winogradWeights(matrix, outputTile: trainingWinogradTile(for: geometry(for: x), batch: x.shape[0]),
                                     compute: compute)
            : nil
        let y = forward(x, matrix: matrix, bias: b, residual: nil, activation: .identity, compute: compute, winograd: winograd)
        return (y, winograd)
    }

    /// Winograd F(4×4, 3×3) (4) up to 128 × 128 channels, F(2×2, 3×3) (2) above.
    ///
    /// Measured on ResNet18 (`coverlens-bench --layers on`, CPU ms per image, batch 4): F(4×4) cut
    /// layer1's 3×3 convolutions from 2.3–2.6 to 1.5–1.7 ms and layer2's from 1.9 to 1.4–1.6, but
    /// gained nothing on layer3 (14×14: its 4×4 tiles cover 16×16) and lost on layer4 (its 36
    /// transformed 512 × 512 matrices, 38 MB, stream from memory for 16 tiles). Fewer, larger
    /// transforms also round a little more; ResNet18 parity holds either way (tested).
    static func winogradOutputTile(inChannels: Int, outChannels: Int) -> Int {
        inChannels * outChannels <= 128 * 128 ? 4 : 2
    }

    /// This layer's Winograd variant; the same for its input gradient, whose channel counts are swapped.
    var winogradTile: Int { Self.winogradOutputTile(inChannels: inChannels, outChannels: outChannels) }

    /// The Winograd variant in training, where the batch is known and the weights are transformed at
    /// every step anyway: F(4×4, 3×3) also for a large layer when it saves F(2×2, 3×3) at least 40 %
    /// of the GEMMs' multiplications (7×7 outputs: 2 × 2 tiles of 36 points against 4 × 4 of 16,
    /// both covering 8 × 8; 14×14 saves only 27 %) and the batch gives the GEMMs at least 64 tiles,
    /// since its transformed weights are then read once per batch instead of once per few images
    /// (`WinogradTiling.tileBlock`). ResNet18 full fine-tuning, batch 32, Zen 2: layer4 by F(4×4)
    /// 2–3.5 % faster a step, layer3 no faster (`coverlens-bench --train full`, alternating).
    /// Forward, weight gradient and input gradient of one step use the same variant.
    func trainingWinogradTile(for g: ConvolutionGeometry, batch: Int) -> Int {
        if winogradTile == 4 { return 4 }
        let tilesF4 = ((g.outputHeight + 3) / 4) * ((g.outputWidth + 3) / 4)
        let tilesF2 = ((g.outputHeight + 1) / 2) * ((g.outputWidth + 1) / 2)
        let savesEnough = 36 * tilesF4 * 10 <= 16 * tilesF2 * 6
        return savesEnough && batch * tilesF4 >= Self.trainingF4MinimumTiles ? 4 : 2
    }

    /// The fewest tiles a batch must give a large layer's GEMMs for `trainingWinogradTile` to pick
    /// F(4×4): 64, where it stops being slower (batch 16 in ResNet18's layer4: 1.7 % faster; batch 4
    /// by F(4×4) would be 6 % slower). Task-local so that a test can move it for the calls it makes,
    /// such as the PyTorch reference step (batch 4) with layer4 by F(4×4).
    @TaskLocal static var trainingF4MinimumTiles = 64

    /// The kernels' view of a weight tensor: `[Cout, Cin·k·k]` (dense) or `[C, k·k]` (depthwise).
    func weightMatrix(_ w: Tensor) -> Tensor {
        w.reshaped([outChannels, w.count / outChannels])
    }

    /// Whether `winogradWeights` applies: dense 3×3, stride 1.
    var suitsWinograd: Bool { !isDepthwise && kernelSize == 3 && stride == 1 }

    /// `activation(conv(x; matrix) + bias + residual)`; the fused path `ConvBNActivation` uses.
    /// With `winograd` (`Tensor.winogradWeights(matrix)`) a 3×3 stride-1 convolution does 2.25× fewer multiplications.
    func forward(_ x: Tensor, matrix: Tensor, bias: [Float], residual: Tensor?, activation: Activation,
                 compute: ComputeContext, winograd: Tensor? = nil) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inChannels, "conv input \(x.shape) for \(inChannels) channels")
        let g = geometry(for: x)
        if isDepthwise {
            precondition(residual == nil, "depthwise convolutions take no fused residual")
            return Tensor.depthwiseConvolution(x, weights: matrix, bias: bias, geometry: g,
                                               clamp: activation.clampRange, compute: compute)
        }
        if let winograd {
            return Tensor.winogradConvolution(x, transformedWeights: winograd, bias: bias, geometry: g,
                                              residual: residual, clamp: activation.clampRange, compute: compute)
        }
        return Tensor.convolution(x, weights: matrix, bias: bias, geometry: g, residual: residual,
                                  clamp: activation.clampRange, compute: compute)
    }
}

// MARK: - Backward

extension Conv2d {
    /// Gradients of the plain convolution (without its bias) at input x.
    ///
    /// dy: `[N, Cout, Ho, Wo]`, x: `[N, Cin, H, W]`. Adds dL/dW `[Cout, Cin/groups, k, k]` into
    /// `weight.gradient` and returns dL/dx, or nil when `inputGradient` is false (the first trainable
    /// layer: nothing below it learns, so the most expensive product is skipped). `winograd`: the
    /// transformed weights of the forward (`trainingForwardKeepingWeights`), if it kept them.
    public mutating func backward(_ dy: Tensor, input x: Tensor, winograd: Tensor? = nil, inputGradient: Bool = true,
                                  compute: ComputeContext) -> Tensor? {
        let g = geometry(for: x)
        let matrix = weightMatrix(weight.value)
        let dx: Tensor?, dW: Tensor
        if isDepthwise {
            (dx, dW) = Tensor.depthwiseConvolutionBackward(dy, input: x, weights: matrix, geometry: g,
                                                           inputGradient: inputGradient, compute: compute)
        } else if suitsWinograd {
            // In the Winograd domain as in the forward: both gradients through the adjoints of its
            // transforms and GEMMs (`Tensor.winogradBackward`), with the forward's transformed weights.
            let tile = trainingWinogradTile(for: g, batch: x.shape[0])
            let u = inputGradient ? (winograd ?? Tensor.winogradWeights(matrix, outputTile: tile, compute: compute)) : nil
            (dx, dW) = Tensor.winogradBackward(dy, input: x, transformedWeights: u, geometry: g, outputTile: tile,
                                               compute: compute)
        } else {
            (dx, dW) = Tensor.convolutionBackward(dy, input: x, weights: matrix, geometry: g,
                                                  inputGradient: inputGradient, compute: compute)
        }
        weight.accumulateGradient(dW)
        return dx
    }

    /// dL/dbias `[Cout]` = Σ over images and positions of dy `[N, Cout, Ho, Wo]`.
    public func biasGradient(_ dy: Tensor) -> Tensor {
        let (n, c, area) = (dy.shape[0], dy.shape[1], dy.shape[2] * dy.shape[3])
        var db = Tensor(shape: [c])
        for image in 0..<n {
            for channel in 0..<c {
                let base = (image * c + channel) * area
                var sum: Float = 0
                for i in 0..<area { sum += dy.storage[base + i] }
                db.storage[channel] += sum
            }
        }
        return db
    }
}
