import Testing
@testable import Tensors
@testable import Networks

/// Training runs 3×3 stride-1 convolutions as Winograd both ways: the forward on freshly
/// transformed weights, and both gradients through the adjoints of the forward's transforms and
/// GEMMs in one pass over the tiles (`Tensor.winogradBackward`). Other
/// layers' weight gradients stay GEMMs, with images side by side when a layer has few output
/// positions. All against the loop-by-loop definitions.
@Suite struct WinogradTrainingTests {
    /// Both gradients in the Winograd domain: paddings 0, 1 and 2, SAME, odd and even sizes (partial
    /// edge tiles, whose overhang carries no gradient; windows reaching into the padding, whose part
    /// there is dropped), both Winograd variants, 1 and 2 workers. The weight gradient is the same
    /// with or without the input gradient.
    @Test(arguments: [2, 4])
    func gradientsMatchDefinition(_ outputTile: Int) {
        var values = SeededValues(seed: 23)
        for (height, width, padding) in [(7, 7, Padding.symmetric(1)), (13, 10, .symmetric(0)), (9, 12, .symmetric(2)),
                                         (28, 28, .symmetric(1)), (10, 11, .same), (16, 16, .symmetric(1)),
                                         (32, 32, .symmetric(1))] {   // 8 tiles a row: F(2×2) at 16, F(4×4) at 32
            let x = values.tensor([3, 24, height, width])
            let w = values.tensor([40, 24, 3, 3], scale: 0.2)
            let g = padding.geometry(height: height, width: width, kernel: 3, stride: 1)
            let dy = values.tensor([3, 40, g.outputHeight, g.outputWidth])
            let expected = NaiveReference.convolutionGradients(dy, input: x, weight: w, geometry: g)
            for workers in [1, 2] {
                let compute = ComputeContext(workers: workers)
                let u = Tensor.winogradWeights(w.reshaped([40, 24 * 9]), outputTile: outputTile, compute: compute)
                let (dx, dw) = Tensor.winogradBackward(dy, input: x, transformedWeights: u, geometry: g, outputTile: outputTile,
                                                       compute: compute)
                #expect(dx?.shape == x.shape, "F(\(outputTile)) \(height)×\(width) \(padding): dX shape \(dx?.shape ?? [])")
                #expect(relativeDifference(dx!, expected.input) <= 1e-5,
                        "F(\(outputTile)) \(height)×\(width) \(padding), \(workers) workers: dX off by \(relativeDifference(dx!, expected.input)) relative")
                #expect(dw.shape == [40, 24 * 9], "F(\(outputTile)): dW shape \(dw.shape)")
                #expect(relativeDifference(dw, expected.weight) <= 1e-5,
                        "F(\(outputTile)) \(height)×\(width) \(padding), \(workers) workers: dW off by \(relativeDifference(dw, expected.weight)) relative")
                let alone = Tensor.winogradWeightGradient(dy, input: x, geometry: g, outputTile: outputTile, compute: compute)
                #expect(alone.storage == dw.storage, "F(\(outputTile)) \(height)×\(width): dW without dX differs")
            }
        }
    }

    /// The backward takes the input gradient through the transformed weights the training forward
    /// kept, or transforms them itself when given none: the same bits either way.
    @Test func keptTransformedWeightsGiveTheSameInputGradient() {
        var values = SeededValues(seed: 41)
        let x = values.tensor([5, 16, 12, 12])
        var conv = Conv2d(weight: values.tensor([24, 16, 3, 3], scale: 0.2), stride: 1, padding: .symmetric(1))
        let compute = ComputeContext(workers: 2)
        let (y, kept) = conv.trainingForwardKeepingWeights(x, compute: compute)
        #expect(kept?.shape == [36, 24, 16], "F(4×4) weights kept: \(kept?.shape ?? [])")
        let dy = values.tensor(y.shape)
        var again = conv
        let dx = conv.backward(dy, input: x, winograd: kept, compute: compute)!
        let recomputed = again.backward(dy, input: x, compute: compute)!
        #expect(dx.storage == recomputed.storage)
        #expect(conv.weight.gradient.storage == again.weight.gradient.storage)
    }

    /// A 3×3 stride-1 layer's training forward and both gradients, on a batch of seven with 5×6
    /// outputs: the weight gradient then multiplies groups of images at once, and with two workers
    /// the chunks (3 and 4 images) end in groups of different sizes.
    @Test(arguments: [1, 2])
    func layerForwardAndGradientsMatchDefinition(_ workers: Int) {
        var values = SeededValues(seed: 29)
        let x = values.tensor([7, 14, 5, 6])   // 14 input channels: the weight transforms' last group of four is partial
        let w = values.tensor([12, 14, 3, 3], scale: 0.3)
        var conv = Conv2d(weight: w, stride: 1, padding: .symmetric(1))
        expectTrainingPassesMatchDefinition(&conv, input: x, values: &values, tolerance: 1e-5,
                                            compute: ComputeContext(workers: workers), "\(workers) workers")
    }

    /// The weight gradient of layers that are not Winograd's (stride 2, 7×7, 1×1 stride 2 and 1, the
    /// last EfficientNet's pointwise kind) over a batch of nine with few output positions, where images
    /// are grouped into one GEMM.
    @Test(arguments: [(3, 2, 3), (7, 2, 3), (1, 2, 0), (3, 1, 0), (1, 1, 0)])
    func groupedWeightGradientMatchesDefinition(_ kernel: Int, _ stride: Int, _ pad: Int) {
        var values = SeededValues(seed: 31)
        let x = values.tensor([9, 6, 11, 10])
        let w = values.tensor([8, 6, kernel, kernel], scale: 0.3)
        let g = Padding.symmetric(pad).geometry(height: 11, width: 10, kernel: kernel, stride: stride)
        let dy = values.tensor([9, 8, g.outputHeight, g.outputWidth])
        let expected = NaiveReference.convolutionGradients(dy, input: x, weight: w, geometry: g)
        for workers in [1, 2] {
            let (dx, dw) = Tensor.convolutionBackward(dy, input: x, weights: w.reshaped([8, 6 * kernel * kernel]), geometry: g,
                                                      inputGradient: true, compute: ComputeContext(workers: workers))
            #expect(relativeDifference(dw.reshaped(w.shape), expected.weight) <= 1e-5,
                    "\(kernel)×\(kernel)/\(stride) dW, \(workers) workers: \(relativeDifference(dw.reshaped(w.shape), expected.weight))")
            #expect(relativeDifference(dx!, expected.input) <= 1e-5,
                    "\(kernel)×\(kernel)/\(stride) dX, \(workers) workers: \(relativeDifference(dx!, expected.input))")
        }
    }

    /// A stem-like layer's weight gradient goes a cache-sized span of output positions at a time
    /// (`weightGradientSpan`): 45 × 43 positions of a 7×7/2 layer on three channels, spans of 780, 780
    /// and 375, with and without the input gradient (which still unfolds whole images).
    @Test func stemWeightGradientBySpansMatchesDefinition() {
        var values = SeededValues(seed: 37)
        let x = values.tensor([3, 3, 90, 86])
        let w = values.tensor([8, 3, 7, 7], scale: 0.3)
        let g = Padding.symmetric(3).geometry(height: 90, width: 86, kernel: 7, stride: 2)
        #expect(g.outputHeight * g.outputWidth > 2 * Tensor.weightGradientSpan(taps: 147), "the layer is not split into spans")
        let dy = values.tensor([3, 8, g.outputHeight, g.outputWidth])
        let expected = NaiveReference.convolutionGradients(dy, input: x, weight: w, geometry: g)
        for (workers, inputGradient) in [(1, false), (2, false), (2, true)] {
            let (dx, dw) = Tensor.convolutionBackward(dy, input: x, weights: w.reshaped([8, 147]), geometry: g,
                                                      inputGradient: inputGradient, compute: ComputeContext(workers: workers))
            let error = relativeDifference(dw.reshaped(w.shape), expected.weight)
            #expect(error <= 1e-5, "dW, \(workers) workers, input gradient \(inputGradient): \(error)")
            if inputGradient { #expect(relativeDifference(dx!, expected.input) <= 1e-5, "dX: \(relativeDifference(dx!, expected.input))") }
        }
    }
}
