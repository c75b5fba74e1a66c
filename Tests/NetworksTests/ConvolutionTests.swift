import Testing
import Tensors
@testable import Networks

/// The fused convolution kernels against `NaiveReference` on small shapes covering every path:
/// im2col (3×3, 5×5, 7×7, stride 1 and 2), direct 1×1 GEMM, depthwise SIMD, symmetric and SAME padding,
/// batches, residual add and ReLU/ReLU6 clamps.
@Suite struct ConvolutionTests {
    struct Case: CustomStringConvertible, Sendable {
        let batch, inChannels, outChannels, height, width, kernel, stride: Int
        let padding: Padding
        let depthwise: Bool
        var description: String {
            "\(depthwise ? "depthwise" : "dense") \(kernel)×\(kernel)/\(stride) \(padding) "
                + "N\(batch) C\(inChannels)→\(outChannels) \(height)×\(width)"
        }
    }

    static let denseCases: [Case] = [
        Case(batch: 2, inChannels: 3, outChannels: 5, height: 9, width: 11, kernel: 3, stride: 1, padding: .symmetric(1), depthwise: false),
        Case(batch: 1, inChannels: 4, outChannels: 6, height: 10, width: 10, kernel: 3, stride: 2, padding: .same, depthwise: false),
        Case(batch: 3, inChannels: 3, outChannels: 8, height: 15, width: 13, kernel: 7, stride: 2, padding: .symmetric(3), depthwise: false),
        Case(batch: 2, inChannels: 7, outChannels: 9, height: 6, width: 5, kernel: 1, stride: 1, padding: .symmetric(0), depthwise: false),
        Case(batch: 1, inChannels: 6, outChannels: 4, height: 8, width: 8, kernel: 1, stride: 2, padding: .symmetric(0), depthwise: false),
        Case(batch: 2, inChannels: 16, outChannels: 40, height: 33, width: 29, kernel: 5, stride: 2, padding: .same, depthwise: false),
        Case(batch: 1, inChannels: 24, outChannels: 64, height: 56, width: 56, kernel: 1, stride: 1, padding: .same, depthwise: false),
        // Rows wide enough for im2col's vectorised stride-2 gather (and its scalar tail).
        Case(batch: 2, inChannels: 3, outChannels: 8, height: 21, width: 45, kernel: 7, stride: 2, padding: .symmetric(3), depthwise: false),
    ]

    static let depthwiseCases: [Case] = [
        Case(batch: 2, inChannels: 5, outChannels: 5, height: 12, width: 12, kernel: 3, stride: 1, padding: .same, depthwise: true),
        Case(batch: 1, inChannels: 4, outChannels: 4, height: 14, width: 14, kernel: 3, stride: 2, padding: .same, depthwise: true),
        Case(batch: 2, inChannels: 3, outChannels: 3, height: 13, width: 17, kernel: 5, stride: 1, padding: .same, depthwise: true),
        Case(batch: 1, inChannels: 6, outChannels: 6, height: 28, width: 28, kernel: 5, stride: 2, padding: .same, depthwise: true),
        Case(batch: 3, inChannels: 2, outChannels: 2, height: 7, width: 7, kernel: 3, stride: 2, padding: .symmetric(1), depthwise: true),
        Case(batch: 1, inChannels: 3, outChannels: 3, height: 9, width: 23, kernel: 5, stride: 2, padding: .symmetric(2), depthwise: true),
        Case(batch: 1, inChannels: 2, outChannels: 2, height: 6, width: 6, kernel: 7, stride: 1, padding: .symmetric(3), depthwise: true),
        // Planes smaller than one SIMD vector (late layers of small inputs).
        Case(batch: 2, inChannels: 3, outChannels: 3, height: 2, width: 2, kernel: 3, stride: 1, padding: .same, depthwise: true),
        Case(batch: 1, inChannels: 4, outChannels: 4, height: 3, width: 3, kernel: 5, stride: 2, padding: .same, depthwise: true),
        // Eight channels and more take the channel-block kernel (plus the plane kernel for leftovers).
        Case(batch: 2, inChannels: 16, outChannels: 16, height: 7, width: 7, kernel: 5, stride: 1, padding: .same, depthwise: true),
        Case(batch: 1, inChannels: 13, outChannels: 13, height: 14, width: 14, kernel: 3, stride: 2, padding: .same, depthwise: true),
        Case(batch: 2, inChannels: 8, outChannels: 8, height: 15, width: 11, kernel: 5, stride: 2, padding: .symmetric(2), depthwise: true),
    ]

    @Test(arguments: denseCases + depthwiseCases)
    func convolutionMatchesNaiveDefinition(_ c: Case) {
        var values = SeededValues(seed: 7)
        let x = values.tensor([c.batch, c.inChannels, c.height, c.width])
        let groups = c.depthwise ? c.inChannels : 1
        let w = values.tensor([c.outChannels, c.inChannels / groups, c.kernel, c.kernel])
        let bias = values.tensor([c.outChannels])
        let conv = Conv2d(weight: w, bias: bias, stride: c.stride, padding: c.padding, groups: groups)
        let expected = NaiveReference.convolution(x, weight: w, bias: bias.storage, groups: groups,
                                                  geometry: conv.geometry(for: x))
        for workers in [1, 2, 3] {
            let y = conv.forward(x, compute: ComputeContext(workers: workers))
            #expect(y.shape == expected.shape, "\(c) shape, \(workers) workers")
            #expect(maxAbsDifference(y, expected) <= 1e-5 * max(1, maxAbs(expected)), "\(c), \(workers) workers")
        }
    }

    /// Dense 3×3 stride-1 convolutions inside `ConvBNActivation` run as Winograd (F(4×4, 3×3) at these
    /// channel counts): odd and even sizes (partial edge tiles), symmetric and SAME padding, 1 and 2 workers.
    @Test(arguments: [(7, 7, Padding.symmetric(1)), (14, 9, .same), (5, 12, .symmetric(1)), (56, 56, .symmetric(1))])
    func winogradMatchesNaiveDefinition(_ height: Int, _ width: Int, _ padding: Padding) {
        var values = SeededValues(seed: 13)
        let x = values.tensor([2, 6, height, width])
        let w = values.tensor([5, 6, 3, 3])
        let conv = Conv2d(weight: w, stride: 1, padding: padding)
        let identity = BatchNorm2d(weight: Tensor(shape: [5], repeating: 1), bias: Tensor(shape: [5]),
                                   runningMean: Tensor(shape: [5]), runningVar: Tensor(shape: [5], repeating: 1), eps: 0)
        let fused = ConvBNActivation(conv: conv, bn: identity, activation: .identity)
        #expect(fused.winogradWeight != nil, "3×3 stride-1 dense convolution did not choose Winograd")
        let expected = NaiveReference.convolution(x, weight: w, bias: nil, groups: 1, geometry: conv.geometry(for: x))
        for workers in [1, 2] {
            let y = fused.forward(x, compute: ComputeContext(workers: workers))
            #expect(y.shape == expected.shape, "\(height)×\(width) shape")
            #expect(maxAbsDifference(y, expected) <= 1e-5 * max(1, maxAbs(expected)), "\(height)×\(width) \(padding), \(workers) workers")
        }
    }

    /// Both Winograd variants against the definition with ResNet-like channel counts, a residual and
    /// ReLU, on a batch of three: tile blocks span images, and 7×7 / 13×10 leave partial edge tiles.
    @Test(arguments: [2, 4])
    func winogradVariantsMatchNaiveDefinitionAcrossImages(_ outputTile: Int) {
        var values = SeededValues(seed: 17)
        for (height, width) in [(7, 7), (13, 10), (28, 28)] {
            let x = values.tensor([3, 64, height, width], scale: 2)
            let w = values.tensor([48, 64, 3, 3], scale: 0.2)
            let bias = values.tensor([48]).storage
            let residual = values.tensor([3, 48, height, width])
            let g = Padding.symmetric(1).geometry(height: height, width: width, kernel: 3, stride: 1)
            let u = Tensor.winogradWeights(w.reshaped([48, 64 * 9]), outputTile: outputTile)
            #expect(u.shape == [(outputTile + 2) * (outputTile + 2), 48, 64], "F(\(outputTile)) weight shape")
            var expected = NaiveReference.convolution(x, weight: w, bias: bias, groups: 1, geometry: g)
            expected = Activation.relu.forward(NaiveReference.add(expected, residual))
            for workers in [1, 2] {
                let y = Tensor.winogradConvolution(x, transformedWeights: u, bias: bias, geometry: g, residual: residual,
                                                   clamp: Activation.relu.clampRange, compute: ComputeContext(workers: workers))
                #expect(maxAbsDifference(y, expected) <= 1e-5 * max(1, maxAbs(expected)),
                        "F(\(outputTile)) \(height)×\(width), \(workers) workers: \(maxAbsDifference(y, expected)) of \(maxAbs(expected))")
            }
        }
    }

    /// The weight transform runs four input channels as the lanes of one vector; each lane must give
    /// the bits of the one-channel Double computation (G g, then (G g) Gᵀ, rounded to Float once), so
    /// that models keep their embeddings. 7 input channels: one full group of four and a partial one.
    @Test(arguments: [2, 4])
    func winogradWeightsKeepTheBitsOfTheScalarTransform(_ outputTile: Int) {
        var values = SeededValues(seed: 41)
        let w = values.tensor([5, 7 * 9], scale: 0.7)
        let u = Tensor.winogradWeights(w, outputTile: outputTile, compute: ComputeContext(workers: 2))
        let f2: [[Double]] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
        let f4: [[Double]] = [[0.25, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                              [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]
        let gm = outputTile == 2 ? f2 : f4
        let alpha = gm.count
        var mismatches = 0
        for o in 0..<5 {
            for c in 0..<7 {
                let g: [Double] = (0..<9).map { Double(w.storage[(o * 7 + c) * 9 + $0]) }
                var gg = [[Double]](repeating: [0, 0, 0], count: alpha)
                for i in 0..<alpha {
                    for b in 0..<3 {
                        let first: Double = gm[i][0] * g[b] + gm[i][1] * g[3 + b]
                        gg[i][b] = first + gm[i][2] * g[6 + b]
                    }
                }
                for i in 0..<alpha {
                    for j in 0..<alpha {
                        let first: Double = gg[i][0] * gm[j][0] + gg[i][1] * gm[j][1]
                        let want = Float(first + gg[i][2] * gm[j][2])
                        if u.storage[((i * alpha + j) * 5 + o) * 7 + c] != want { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0, "F(\(outputTile)): \(mismatches) transformed weights differ from the scalar computation")
    }

    @Test func winogradVariantFollowsChannelCounts() {
        #expect(Conv2d.winogradOutputTile(inChannels: 64, outChannels: 64) == 4, "ResNet18 layer1")
        #expect(Conv2d.winogradOutputTile(inChannels: 128, outChannels: 128) == 4, "ResNet18 layer2")
        #expect(Conv2d.winogradOutputTile(inChannels: 256, outChannels: 256) == 2, "ResNet18 layer3")
    }

    @Test func sameIsAsymmetricForStrideTwo() {
        let g = Padding.same.geometry(height: 224, width: 224, kernel: 3, stride: 2)
        #expect((g.padTop, g.padBottom, g.padLeft, g.padRight) == (0, 1, 0, 1), "3×3/2 SAME on 224")
        let g5 = Padding.same.geometry(height: 56, width: 56, kernel: 5, stride: 2)
        #expect((g5.padTop, g5.padBottom, g5.outputHeight) == (1, 2, 28), "5×5/2 SAME on 56")
        let g1 = Padding.same.geometry(height: 14, width: 14, kernel: 5, stride: 1)
        #expect((g1.padTop, g1.padBottom, g1.outputHeight) == (2, 2, 14), "5×5/1 SAME on 14")
    }

    @Test(arguments: [Activation.identity, .relu, .relu6])
    func foldedBatchNormResidualAndClampMatchUnfusedLayers(_ activation: Activation) {
        var values = SeededValues(seed: 11)
        for depthwise in [false, true] {
            let (cin, cout) = depthwise ? (6, 6) : (5, 7)
            let groups = depthwise ? cin : 1
            let x = values.tensor([2, cin, 10, 9], scale: 3)
            let conv = Conv2d(weight: values.tensor([cout, cin / groups, 3, 3], scale: 2), stride: 1,
                              padding: .same, groups: groups)
            let bn = BatchNorm2d(weight: values.tensor([cout], scale: 0.25, offset: 1),
                                 bias: values.tensor([cout], scale: 0.5),
                                 runningMean: values.tensor([cout], scale: 0.3),
                                 runningVar: values.tensor([cout], scale: 0.4, offset: 1), eps: 1e-3)
            let fused = ConvBNActivation(conv: conv, bn: bn, activation: activation)
            let residual = depthwise ? nil : values.tensor([2, cout, 10, 9], scale: 2)
            let expected = activation.forward(residual.map { NaiveReference.add(bn.forward(conv.forward(x, compute: .default)), $0) }
                                              ?? bn.forward(conv.forward(x, compute: .default)))
            let y = fused.forward(x, residual: residual, compute: ComputeContext(workers: 2))
            #expect(maxAbsDifference(y, expected) <= 1e-5 * max(1, maxAbs(expected)),
                    "\(activation), depthwise \(depthwise)")
        }
    }
}
