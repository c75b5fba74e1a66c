import Support
import Testing
import Tensors
@testable import Networks

/// Every layer's backward against central finite differences (see `GradientCheck`), on small
/// random shapes that exercise TF SAME's asymmetric padding, stride 2, and the SIMD kernels' tails.
@Suite struct LayerGradientTests {
    struct ConvCase: CustomTestStringConvertible, Sendable {
        let cin, cout, kernel, stride, height, width: Int
        let padding: Padding
        let depthwise: Bool
        var testDescription: String {
            "\(depthwise ? "depthwise" : "dense") \(cin)→\(cout) \(kernel)×\(kernel)/\(stride) \(padding) on \(height)×\(width)"
        }
    }

    static let convCases: [ConvCase] = [
        .init(cin: 3, cout: 4, kernel: 3, stride: 1, height: 7, width: 6, padding: .symmetric(1), depthwise: false),
        .init(cin: 3, cout: 5, kernel: 3, stride: 2, height: 8, width: 8, padding: .same, depthwise: false),     // pads (0,1)
        .init(cin: 2, cout: 3, kernel: 5, stride: 2, height: 10, width: 9, padding: .same, depthwise: false),   // (1,2)
        .init(cin: 6, cout: 4, kernel: 1, stride: 1, height: 5, width: 5, padding: .same, depthwise: false),    // pointwise
        .init(cin: 4, cout: 6, kernel: 1, stride: 2, height: 6, width: 7, padding: .symmetric(0), depthwise: false),
        .init(cin: 3, cout: 4, kernel: 7, stride: 2, height: 11, width: 12, padding: .symmetric(3), depthwise: false),
        .init(cin: 5, cout: 5, kernel: 3, stride: 1, height: 9, width: 19, padding: .same, depthwise: true),
        .init(cin: 4, cout: 4, kernel: 3, stride: 2, height: 12, width: 20, padding: .same, depthwise: true),   // (0,1)
        .init(cin: 3, cout: 3, kernel: 5, stride: 2, height: 11, width: 10, padding: .same, depthwise: true),
        .init(cin: 3, cout: 3, kernel: 5, stride: 1, height: 7, width: 13, padding: .same, depthwise: true),
        // Eight channels and more: the eight-channel kernels (forward and filter gradient), plus leftovers.
        .init(cin: 8, cout: 8, kernel: 3, stride: 1, height: 7, width: 7, padding: .same, depthwise: true),
        .init(cin: 13, cout: 13, kernel: 5, stride: 2, height: 14, width: 11, padding: .same, depthwise: true),
    ]

    private func conv(_ c: ConvCase, seed: UInt64) -> Conv2d {
        let w = GradientCheck.random([c.cout, c.depthwise ? 1 : c.cin, c.kernel, c.kernel], seed: seed, scale: 0.5)
        return Conv2d(weight: w, stride: c.stride, padding: c.padding, groups: c.depthwise ? c.cin : 1)
    }

    /// With both GEMM libraries: the dense convolutions' GEMMs go to oneDNN in one run and OpenBLAS in the other.
    @Test(arguments: convCases, GEMMLibrary.allCases)
    func convolutionInputAndWeightGradients(_ c: ConvCase, library: GEMMLibrary) {
        let (two, one) = (ComputeContext(workers: 2, gemm: library), ComputeContext(workers: 1, gemm: library))
        var layer = conv(c, seed: 1)
        let x = GradientCheck.random([2, c.cin, c.height, c.width], seed: 2)
        let y = layer.forward(x, compute: two)
        let r = GradientCheck.random(y.shape, seed: 3)
        let dx = layer.backward(r, input: x, compute: two)!
        let dW = layer.weight.gradient
        let inputError = GradientCheck.relativeError(of: { layer.forward($0, compute: one) }, at: x, analytic: dx, r: r)
        #expect(inputError < 2e-3, "\(c.testDescription), \(library): dX relative error \(inputError)")
        let weightError = GradientCheck.relativeError(of: { w in
            Conv2d(weight: w, stride: c.stride, padding: c.padding, groups: layer.groups).forward(x, compute: one)
        }, at: layer.weight.value, analytic: dW, r: r)
        #expect(weightError < 2e-3, "\(c.testDescription), \(library): dW relative error \(weightError)")
    }

    /// Three images per worker: layers with few output positions put a chunk's images side by side as
    /// the columns of one GEMM, for the weight gradient and for the input gradient's `Wᵀ · dY`, whose
    /// columns are then folded back image by image (col2im with the group's row stride, or a copy
    /// for a pointwise layer). The dense cases with stride 2 or 1×1 kernels (the others take Winograd).
    @Test(arguments: [1, 3, 4, 5], GEMMLibrary.allCases)
    func convolutionGradientsOfImagesSharingAGEMM(_ index: Int, library: GEMMLibrary) {
        let c = Self.convCases[index]
        let (two, one) = (ComputeContext(workers: 2, gemm: library), ComputeContext(workers: 1, gemm: library))
        var layer = conv(c, seed: 31)
        let x = GradientCheck.random([6, c.cin, c.height, c.width], seed: 32)
        let r = GradientCheck.random(layer.forward(x, compute: two).shape, seed: 33)
        let dx = layer.backward(r, input: x, compute: two)!
        let inputError = GradientCheck.relativeError(of: { layer.forward($0, compute: one) }, at: x, analytic: dx, r: r)
        #expect(inputError < 2e-3, "\(c.testDescription), \(library): dX relative error \(inputError)")
        let weightError = GradientCheck.relativeError(of: { w in
            Conv2d(weight: w, stride: c.stride, padding: c.padding, groups: layer.groups).forward(x, compute: one)
        }, at: layer.weight.value, analytic: layer.weight.gradient, r: r)
        #expect(weightError < 2e-3, "\(c.testDescription), \(library): dW relative error \(weightError)")
    }

    @Test(arguments: [1, 2, 3])
    func convolutionGradientsDoNotDependOnWorkers(_ workers: Int) {
        let c = Self.convCases[1]
        let layer = conv(c, seed: 4)
        let x = GradientCheck.random([5, c.cin, c.height, c.width], seed: 5)
        let r = GradientCheck.random(layer.forward(x, compute: .default).shape, seed: 6)
        var one = layer, many = layer
        let dx1 = one.backward(r, input: x, compute: ComputeContext(workers: 1))
        let dxn = many.backward(r, input: x, compute: ComputeContext(workers: workers))
        #expect(dx1 == dxn, "dX differs between 1 and \(workers) workers")
        let worst = zip(one.weight.gradient.storage, many.weight.gradient.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5, "dW differs by \(worst) between 1 and \(workers) workers")
    }

    private func batchNorm(_ channels: Int, seed: UInt64) -> BatchNorm2d {
        var g = SeededGenerator(seed: seed)
        func values(_ lo: Float, _ hi: Float) -> Tensor {
            Tensor(shape: [channels], storage: (0..<channels).map { _ in g.uniformFloat(lo, hi) })
        }
        return BatchNorm2d(weight: values(0.5, 1.5), bias: values(-0.3, 0.3), runningMean: values(-0.2, 0.2),
                           runningVar: values(0.5, 1.5), eps: 1e-3, momentum: 0.01)
    }

    @Test(arguments: [(true, Activation.identity), (true, .relu6), (true, .relu), (false, .relu6)])
    func batchNormWithActivationAndResidual(_ training: Bool, _ activation: Activation) {
        var bn = batchNorm(3, seed: 7)
        let z = GradientCheck.random([2, 3, 5, 11], seed: 8, scale: 2)
        let residual = GradientCheck.random(z.shape, seed: 9)
        func forward(_ z: Tensor, _ bn: BatchNorm2d, _ res: Tensor) -> Tensor {
            let s = training ? bn.batchStatistics(z, compute: ComputeContext(workers: 1)) : bn.runningStatistics
            return bn.forward(z, statistics: s, residual: res, activation: activation, compute: ComputeContext(workers: 1))
        }
        let y = forward(z, bn, residual)
        let r = GradientCheck.random(y.shape, seed: 10)
        let s = training ? bn.batchStatistics(z, compute: .default) : bn.runningStatistics
        var trained = bn
        let (dz, dRes) = trained.backward(r, output: y, input: z, statistics: s, activation: activation,
                                          residualAdded: true, residualGradient: true, compute: ComputeContext(workers: 2))
        let (dGamma, dBeta) = (trained.weight.gradient, trained.bias.gradient)
        let label = "\(training ? "training" : "frozen") BN + \(activation)"
        let errors = [
            ("dz", GradientCheck.relativeError(of: { forward($0, bn, residual) }, at: z, analytic: dz, r: r, h: 1e-3)),
            ("dresidual", GradientCheck.relativeError(of: { forward(z, bn, $0) }, at: residual, analytic: dRes!, r: r, h: 1e-3)),
            ("dγ", GradientCheck.relativeError(of: { bn.weight.value = $0; return forward(z, bn, residual) },
                                               at: bn.weight.value, analytic: dGamma, r: r, h: 1e-3)),
            ("dβ", GradientCheck.relativeError(of: { bn.bias.value = $0; return forward(z, bn, residual) },
                                               at: bn.bias.value, analytic: dBeta, r: r, h: 1e-3)),
        ]
        for (name, error) in errors { #expect(error < 5e-3, "\(label): \(name) relative error \(error)") }
    }

    /// Without a residual, where the activation passed is recomputed from z (`ClampGate.affine`), and
    /// without an activation it is not looked up at all (`.open`): the same bits as reading y, where
    /// the clamp cut values at 0 and (ReLU6, running statistics) at 6.
    @Test(arguments: [(true, Activation.identity), (true, .relu6), (true, .relu), (false, .relu6)])
    func batchNormGatesWithoutResidualMatchReadingTheOutput(_ training: Bool, _ activation: Activation) {
        let bn = batchNorm(3, seed: 23)
        let z = GradientCheck.random([2, 3, 5, 11], seed: 24, scale: 6)
        let s = training ? bn.batchStatistics(z, compute: .default) : bn.runningStatistics
        let y = bn.forward(z, statistics: s, activation: activation, compute: .default)
        let dy = GradientCheck.random(y.shape, seed: 25)
        let clamp = activation.clampRange
        let (scale, shift) = bn.affine(s)
        var gates: [ClampGate] = [.affine(scale: scale, shift: shift, clamp: clamp)]
        if clamp == .none { gates.append(.open) }
        else { #expect(y.storage.contains(0) && (training || y.storage.contains(6)), "the clamp cut nothing") }
        func backward(_ gate: ClampGate) -> (input: Tensor, gamma: [Double], beta: [Double], masked: Tensor?) {
            Tensor.batchNormBackward(dy, gate: gate, input: z, mean: s.mean, invStd: s.invStd, gamma: bn.weight.value.storage,
                                     batchStatistics: s.isBatch, maskedGradient: true, compute: ComputeContext(workers: 2))
        }
        let read = backward(.output(y, clamp: clamp))
        for gate in gates {
            let other = backward(gate)
            #expect(other.input == read.input && other.masked == read.masked, "\(activation), \(gate): dz or the masked dy differ")
            #expect(other.gamma == read.gamma && other.beta == read.beta, "\(activation), \(gate): dγ or dβ differ")
        }
    }

    @Test func runningStatisticsFollowPyTorch() {
        var bn = batchNorm(2, seed: 11)
        let before = (bn.runningMean.value, bn.runningVar.value)
        let z = GradientCheck.random([3, 2, 2, 3], seed: 12)
        bn.updateRunningStatistics(bn.batchStatistics(z, compute: .default))
        for c in 0..<2 {
            var values: [Double] = []
            for n in 0..<3 { for i in 0..<6 { values.append(Double(z.storage[(n * 2 + c) * 6 + i])) } }
            let mean = values.reduce(0, +) / 18
            let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 17
            let wantMean = 0.99 * Double(before.0.storage[c]) + 0.01 * mean
            let wantVar = 0.99 * Double(before.1.storage[c]) + 0.01 * unbiased
            #expect(abs(Double(bn.runningMean.value.storage[c]) - wantMean) < 1e-6, "running mean channel \(c)")
            #expect(abs(Double(bn.runningVar.value.storage[c]) - wantVar) < 1e-6, "running var (unbiased) channel \(c)")
        }
    }

    /// The residual branches' gradient sum, in pieces over the workers for large tensors: every
    /// element once, each the same single addition as on one thread (a piece's bounds off by one
    /// leave an element unadded or add it twice).
    @Test(arguments: [1, 2, 3])
    func residualAddCoversEveryElementOnce(_ workers: Int) {
        let a = GradientCheck.random([3, 7, 61, 67], seed: 40)   // 85,827 values: above the one-piece size
        let b = GradientCheck.random(a.shape, seed: 41)
        var sum = a
        sum.add(b, compute: ComputeContext(workers: workers))
        #expect(sum.storage == zip(a.storage, b.storage).map { $0 + $1 }, "\(workers) workers")
    }

    @Test(arguments: [Activation.relu, .relu6])
    func activation(_ activation: Activation) {
        let x = GradientCheck.random([2, 3, 4, 5], seed: 13, scale: 4)
        let y = activation.forward(x)
        let r = GradientCheck.random(y.shape, seed: 14)
        let error = GradientCheck.relativeError(of: activation.forward, at: x, analytic: activation.backward(r, output: y),
                                                r: r, h: 1e-3)
        #expect(error < 1e-3, "\(activation) relative error \(error)")
    }

    @Test func maxPool() {
        let pool = MaxPool2d(kernelSize: 3, stride: 2, padding: .symmetric(1))
        let x = GradientCheck.random([2, 3, 9, 8], seed: 15)
        let r = GradientCheck.random(pool.forward(x, compute: .default).shape, seed: 16)
        let error = GradientCheck.relativeError(of: { pool.forward($0, compute: ComputeContext(workers: 1)) }, at: x,
                                                analytic: pool.backward(r, input: x, compute: .default), r: r, h: 1e-3)
        #expect(error < 1e-3, "max pool relative error \(error)")
    }

    @Test func globalAveragePool() {
        let pool = GlobalAveragePool()
        let x = GradientCheck.random([2, 3, 5, 7], seed: 17)
        let r = GradientCheck.random([2, 3], seed: 18)
        let error = GradientCheck.relativeError(of: pool.forward, at: x, analytic: pool.backward(r, height: 5, width: 7), r: r)
        #expect(error < 1e-3, "global average pool relative error \(error)")
    }

    @Test func linear() {
        let layer = Linear(weight: GradientCheck.random([3, 5], seed: 19), bias: GradientCheck.random([3], seed: 20))
        let x = GradientCheck.random([4, 5], seed: 21)
        let r = GradientCheck.random([4, 3], seed: 22)
        var trained = layer
        let dx = trained.backward(r, input: x)
        let (w, b) = (layer.weight.value, layer.bias.value)
        let errors = [
            GradientCheck.relativeError(of: layer.forward, at: x, analytic: dx, r: r),
            GradientCheck.relativeError(of: { Linear(weight: $0, bias: b).forward(x) }, at: w, analytic: trained.weight.gradient, r: r),
            GradientCheck.relativeError(of: { Linear(weight: w, bias: $0).forward(x) }, at: b, analytic: trained.bias.gradient, r: r),
        ]
        #expect(errors.allSatisfy { $0 < 1e-3 }, "linear dx, dW, db relative errors \(errors)")
    }

    @Test func dropout() {
        let layer = Dropout(rate: 0.2)
        let x = GradientCheck.random([4, 50], seed: 23)
        var g = SeededGenerator(seed: 24)
        let (y, mask) = layer.forward(x, generator: &g)
        let dropped = mask.storage.filter { $0 == 0 }.count
        #expect((20...60).contains(dropped), "dropped \(dropped) of 200 at rate 0.2")
        #expect(mask.storage.allSatisfy { $0 == 0 || abs($0 - 1.25) < 1e-6 }, "mask values are 0 or 1/(1-rate)")
        let r = GradientCheck.random(y.shape, seed: 25)
        let masked = { (x: Tensor) in Tensor(shape: x.shape, storage: zip(x.storage, mask.storage).map(*)) }
        #expect(masked(x) == y, "y = x · mask")
        let error = GradientCheck.relativeError(of: masked, at: x, analytic: layer.backward(r, mask: mask), r: r)
        #expect(error < 1e-3, "dropout relative error \(error)")
        var again = SeededGenerator(seed: 24)
        #expect(layer.forward(x, generator: &again).mask == mask, "same seed, same mask")
        #expect(layer.forward(x) == x, "identity at inference")
    }
}
