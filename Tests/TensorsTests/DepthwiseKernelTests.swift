import Support
import Testing
@testable import Tensors

/// The two depthwise forward kernels — eight channels to a vector (`DepthwiseChannelBlocks`, in C) and
/// one plane at a time (`DepthwisePlane`) — must give the same bits: the same fused multiply-adds in
/// the same order from the bias, and the same clamp. Models keep their embeddings whichever runs.
@Suite struct DepthwiseKernelTests {
    struct Case: CustomStringConvertible, Sendable {
        let channels, height, width, kernel, stride: Int
        let same: Bool   // TensorFlow's SAME padding (asymmetric at stride 2), else symmetric k/2
        var description: String {
            "C\(channels) \(height)×\(width) k\(kernel)/\(stride) \(same ? "same" : "symmetric")"
        }

        var geometry: ConvolutionGeometry {
            guard same else {
                let p = kernel / 2
                return ConvolutionGeometry(inputHeight: height, inputWidth: width, kernelHeight: kernel, kernelWidth: kernel,
                                           stride: stride, padTop: p, padLeft: p, padBottom: p, padRight: p)
            }
            func amounts(_ size: Int) -> (Int, Int) {
                let total = max(((size + stride - 1) / stride - 1) * stride + kernel - size, 0)
                return (total / 2, total - total / 2)
            }
            let (top, bottom) = amounts(height), (left, right) = amounts(width)
            return ConvolutionGeometry(inputHeight: height, inputWidth: width, kernelHeight: kernel, kernelWidth: kernel,
                                       stride: stride, padTop: top, padLeft: left, padBottom: bottom, padRight: right)
        }
    }

    /// EfficientNet-Lite0's shapes (scaled down where the plane is large), widths that leave partial
    /// vectors on input and output, planes narrower than a vector, channel counts with leftovers for
    /// the plane kernel, strides 1–3 and kernels 1–7.
    static let cases: [Case] = [
        Case(channels: 16, height: 7, width: 7, kernel: 5, stride: 1, same: true),
        Case(channels: 24, height: 14, width: 14, kernel: 3, stride: 1, same: true),
        Case(channels: 16, height: 14, width: 14, kernel: 5, stride: 2, same: true),
        Case(channels: 8, height: 56, width: 56, kernel: 3, stride: 2, same: true),
        Case(channels: 13, height: 28, width: 28, kernel: 5, stride: 2, same: true),
        Case(channels: 9, height: 13, width: 17, kernel: 3, stride: 1, same: false),
        Case(channels: 8, height: 1, width: 1, kernel: 3, stride: 1, same: true),
        Case(channels: 8, height: 2, width: 3, kernel: 5, stride: 2, same: true),
        Case(channels: 20, height: 9, width: 23, kernel: 7, stride: 1, same: false),
        Case(channels: 8, height: 11, width: 10, kernel: 3, stride: 3, same: true),
        Case(channels: 8, height: 5, width: 9, kernel: 1, stride: 1, same: false),
        Case(channels: 3, height: 8, width: 8, kernel: 3, stride: 1, same: true),
    ]

    @Test(arguments: cases)
    func channelBlocksGiveThePlaneKernelsBits(_ c: Case) {
        var random = SeededGenerator(seed: 23)
        let g = c.geometry
        let taps = c.kernel * c.kernel
        let x = Tensor(shape: [2, c.channels, c.height, c.width],
                       storage: (0..<(2 * c.channels * c.height * c.width)).map { _ in random.uniformFloat(-3, 3) })
        let weights = Tensor(shape: [c.channels, taps], storage: (0..<(c.channels * taps)).map { _ in random.uniformFloat(-1, 1) })
        let bias = (0..<c.channels).map { _ in random.uniformFloat(-1, 1) }
        for clamp in [ClampRange.none, ClampRange(lower: 0, upper: 6), ClampRange(lower: 0, upper: .infinity)] {
            for workers in [1, 2] {
                let compute = ComputeContext(workers: workers)
                let planes = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: clamp,
                                                         kernel: .planes, compute: compute)
                let blocks = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: clamp,
                                                         kernel: .channelBlocks, compute: compute)
                #expect(blocks.shape == [2, c.channels, g.outputHeight, g.outputWidth])
                let differing = zip(planes.storage, blocks.storage).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(c), clamp \(clamp), \(workers) workers: \(differing) of \(planes.storage.count) values differ")
            }
        }
    }

    /// The clamp's edge cases: a NaN in the input reaches the nine outputs whose windows hold it
    /// (channel 3), and a sum of −0 (a zero plane, bias −0, negative weights: channel 5) leaves ReLU6
    /// as +0, in both kernels.
    @Test func clampEdgeCasesMatch() {
        let g = Case(channels: 8, height: 6, width: 6, kernel: 3, stride: 1, same: true).geometry
        var x = Tensor(shape: [1, 8, 6, 6], repeating: 0.5)
        x.storage[3 * 36 + 2 * 6 + 2] = .nan
        for i in 0..<36 { x.storage[5 * 36 + i] = 0 }
        var weights = Tensor(shape: [8, 9], repeating: 0.25)
        for t in 0..<9 { weights.storage[5 * 9 + t] = -0.25 }
        var bias = [Float](repeating: 0, count: 8)
        bias[5] = -0.0
        let relu6 = ClampRange(lower: 0, upper: 6)
        let planes = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: relu6,
                                                 kernel: .planes, compute: ComputeContext(workers: 1))
        let blocks = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: relu6,
                                                 kernel: .channelBlocks, compute: ComputeContext(workers: 1))
        #expect(planes.storage.filter(\.isNaN).count == 9)
        #expect(planes.storage[5 * 36 ..< 6 * 36].allSatisfy { $0.bitPattern == 0 })
        #expect(zip(planes.storage, blocks.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    /// The automatic choice takes the channel blocks wherever the C kernel covers the geometry.
    @Test func choiceTakesChannelBlocksForSquareKernelsUpToSeven() {
        #expect(DepthwiseKernel.choice(for: Case(channels: 8, height: 7, width: 7, kernel: 5, stride: 1, same: true).geometry) == .channelBlocks)
        let nine = ConvolutionGeometry(inputHeight: 12, inputWidth: 12, kernelHeight: 9, kernelWidth: 9, stride: 1,
                                       padTop: 4, padLeft: 4, padBottom: 4, padRight: 4)
        #expect(DepthwiseKernel.choice(for: nine) == .planes)
    }

    /// The filter gradient (eight-channel kernel for whole groups, the plane kernel for leftovers)
    /// against its definition summed in Double, over three images; the same bits for 1, 2 and 3 workers.
    @Test(arguments: [cases[0], cases[2], cases[4], cases[5], cases[7], cases[8], cases[9]])
    func filterGradientMatchesTheDefinition(_ c: Case) {
        var random = SeededGenerator(seed: 29)
        let g = c.geometry
        let (ho, wo, k) = (g.outputHeight, g.outputWidth, c.kernel)
        let x = Tensor(shape: [3, c.channels, c.height, c.width],
                       storage: (0..<(3 * c.channels * c.height * c.width)).map { _ in random.uniformFloat(-2, 2) })
        let dy = Tensor(shape: [3, c.channels, ho, wo],
                        storage: (0..<(3 * c.channels * ho * wo)).map { _ in random.uniformFloat(-1, 1) })
        let weights = Tensor(shape: [c.channels, k * k], repeating: 0.5)
        var expected = [Double](repeating: 0, count: c.channels * k * k)
        var scale = [Double](repeating: 0, count: c.channels * k * k)   // Σ|products|, for the rounding bound
        for image in 0..<3 {
            for channel in 0..<c.channels {
                for ky in 0..<k {
                    for kx in 0..<k {
                        for oy in 0..<ho {
                            for ox in 0..<wo {
                                let (iy, ix) = (oy * c.stride + ky - g.padTop, ox * c.stride + kx - g.padLeft)
                                guard iy >= 0, iy < c.height, ix >= 0, ix < c.width else { continue }
                                let product = Double(dy.storage[((image * c.channels + channel) * ho + oy) * wo + ox])
                                    * Double(x.storage[((image * c.channels + channel) * c.height + iy) * c.width + ix])
                                expected[channel * k * k + ky * k + kx] += product
                                scale[channel * k * k + ky * k + kx] += abs(product)
                            }
                        }
                    }
                }
            }
        }
        var first: [Float]?
        for workers in [1, 2, 3] {
            let dW = Tensor.depthwiseConvolutionBackward(dy, input: x, weights: weights, geometry: g, inputGradient: false,
                                                         compute: ComputeContext(workers: workers)).weights
            let worst = zip(dW.storage, zip(expected, scale)).map { abs(Double($0) - $1.0) / max($1.1, 1e-30) }.max() ?? 0
            #expect(worst < 1e-6, "\(c), \(workers) workers: relative error \(worst)")
            if let first {
                #expect(zip(first, dW.storage).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(c): \(workers) workers changed bits")
            } else {
                first = dW.storage
            }
        }
    }

    /// The AVX-512 kernels (sixteen channels to a vector) against the AVX2 ones, bit for bit, forward
    /// and filter gradient: the avx512 path's context against `COVERLENS_KERNELS=avx2`'s. Runs only on
    /// a CPU with AVX-512; elsewhere `scripts/check-avx512-kernels.sh` checks the same C kernels in an
    /// emulated AVX-512 CPU.
    @Test(.enabled(if: KernelPath.cpuHasAVX512, "this CPU has no AVX-512"),
          arguments: [Case(channels: 32, height: 14, width: 14, kernel: 5, stride: 2, same: true),
                      Case(channels: 16, height: 7, width: 7, kernel: 3, stride: 1, same: true),
                      Case(channels: 48, height: 28, width: 28, kernel: 3, stride: 2, same: true),
                      Case(channels: 32, height: 9, width: 23, kernel: 7, stride: 1, same: false),
                      Case(channels: 16, height: 11, width: 10, kernel: 3, stride: 3, same: true)])
    func avx512KernelsGiveTheAVX2KernelsBits(_ c: Case) {
        var random = SeededGenerator(seed: 31)
        let g = c.geometry
        let taps = c.kernel * c.kernel
        let x = Tensor(shape: [2, c.channels, c.height, c.width],
                       storage: (0..<(2 * c.channels * c.height * c.width)).map { _ in random.uniformFloat(-3, 3) })
        let dy = Tensor(shape: [2, c.channels, g.outputHeight, g.outputWidth],
                        storage: (0..<(2 * c.channels * g.outputHeight * g.outputWidth)).map { _ in random.uniformFloat(-1, 1) })
        let weights = Tensor(shape: [c.channels, taps], storage: (0..<(c.channels * taps)).map { _ in random.uniformFloat(-1, 1) })
        let bias = (0..<c.channels).map { _ in random.uniformFloat(-1, 1) }
        let avx2 = ComputeContext(workers: 2, kernels: .avx2), avx512 = ComputeContext(workers: 2, kernels: .avx512)
        #expect(DepthwiseChannelBlocks.width(for: avx512, channels: c.channels) == 16)
        for clamp in [ClampRange.none, ClampRange(lower: 0, upper: 6)] {
            let narrow = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: clamp, compute: avx2)
            let wide = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: g, clamp: clamp, compute: avx512)
            let differing = zip(narrow.storage, wide.storage).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(c), clamp \(clamp): \(differing) of \(narrow.storage.count) values differ")
        }
        let narrow = Tensor.depthwiseConvolutionBackward(dy, input: x, weights: weights, geometry: g, inputGradient: true, compute: avx2)
        let wide = Tensor.depthwiseConvolutionBackward(dy, input: x, weights: weights, geometry: g, inputGradient: true, compute: avx512)
        #expect(zip(narrow.weights.storage, wide.weights.storage).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(c): filter gradient")
        #expect(zip(narrow.input!.storage, wide.input!.storage).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(c): input gradient")
    }

    /// Blocks of sixteen only where the CPU has AVX-512 and the channels make whole blocks of
    /// sixteen; a context made for the avx512 path on another CPU falls back to the AVX2 kernels
    /// (and computes, rather than stopping on an illegal instruction).
    @Test func sixteenChannelBlocksOnlyWhereTheCPUHasThem() {
        let avx512 = ComputeContext(workers: 1, kernels: .avx512)
        #expect(DepthwiseChannelBlocks.width(for: avx512, channels: 32) == (KernelPath.cpuHasAVX512 ? 16 : 8))
        #expect(DepthwiseChannelBlocks.width(for: avx512, channels: 24) == 8)
        #expect(DepthwiseChannelBlocks.width(for: ComputeContext(workers: 1, kernels: .avx2), channels: 32) == 8)
        let c = Case(channels: 32, height: 7, width: 7, kernel: 3, stride: 1, same: true)
        let x = Tensor(shape: [1, 32, 7, 7], storage: (0..<(32 * 49)).map { Float($0 % 11) - 5 })
        let weights = Tensor(shape: [32, 9], storage: (0..<(32 * 9)).map { Float($0 % 7) / 7 })
        let bias = [Float](repeating: 0.5, count: 32)
        let planes = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: c.geometry, clamp: .none,
                                                 kernel: .planes, compute: avx512)
        let chosen = Tensor.depthwiseConvolution(x, weights: weights, bias: bias, geometry: c.geometry, compute: avx512)
        #expect(zip(planes.storage, chosen.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
