import Testing
@testable import Tensors
@testable import Networks

/// Layers whose transformed weights outweigh a block of tiles (ResNet18's layer4, by F(2×2, 3×3) at
/// inference and F(4×4) in training; any layer of 256 × 256 channels by F(4×4)): their blocks are
/// large and equal, run one after another with each block's GEMMs split over the workers, and
/// training picks F(4×4) for them once the batch fills the GEMMs. Against the loop-by-loop definitions and against im2col + GEMM.
@Suite struct WinogradLargeLayerTests {
    /// F(4×4) in training wherever inference uses it; for the large layers only where it saves at
    /// least 40 % of the multiplications (7×7, not 14×14) and from 64 tiles a batch.
    @Test func trainingPicksF4ForLargeLayersOnceTheBatchFillsTheGEMMs() {
        let layer4 = Conv2d(weight: Tensor(shape: [512, 512, 3, 3]), stride: 1, padding: .symmetric(1))
        let g7 = Padding.symmetric(1).geometry(height: 7, width: 7, kernel: 3, stride: 1)
        #expect(layer4.winogradTile == 2)
        #expect(layer4.trainingWinogradTile(for: g7, batch: 8) == 2)    // 2 × 2 tiles × 8 = 32
        #expect(layer4.trainingWinogradTile(for: g7, batch: 16) == 4)   // 64
        #expect(layer4.trainingWinogradTile(for: g7, batch: 32) == 4)
        let layer3 = Conv2d(weight: Tensor(shape: [256, 256, 3, 3]), stride: 1, padding: .symmetric(1))
        let g14 = Padding.symmetric(1).geometry(height: 14, width: 14, kernel: 3, stride: 1)
        #expect(layer3.trainingWinogradTile(for: g14, batch: 32) == 2)   // 576 against 784 multiplications
        let layer1 = Conv2d(weight: Tensor(shape: [64, 64, 3, 3]), stride: 1, padding: .symmetric(1))
        let g56 = Padding.symmetric(1).geometry(height: 56, width: 56, kernel: 3, stride: 1)
        #expect(layer1.trainingWinogradTile(for: g56, batch: 1) == 4)
    }

    /// Small weights: blocks of about 4 MB of V and M as before. Large weights: one block for a
    /// batch-32 step of layer4, and equal blocks of at most about 32 MB when the tiles need several.
    @Test func weightHeavyLayersTakeLargeEqualBlocks() {
        let g = Padding.symmetric(1).geometry(height: 56, width: 56, kernel: 3, stride: 1)
        let layer1 = WinogradF4Plan(g, inChannels: 64, outChannels: 64)
        #expect(!layer1.weightsDominate)
        #expect(layer1.tileBlock(totalTiles: 32 * 196) == 224)   // 1,048,576 / (36 · 128), to a multiple of 8
        let layer4 = WinogradF4Plan(Padding.symmetric(1).geometry(height: 7, width: 7, kernel: 3, stride: 1),
                                    inChannels: 512, outChannels: 512)
        #expect(layer4.weightsDominate)
        #expect(layer4.tileBlock(totalTiles: 128) == 128)
        let wide = WinogradF4Plan(g, inChannels: 172, outChannels: 172)   // at most 8,388,608 / (36 · 344) = 677 tiles a block
        #expect(wide.weightsDominate)
        #expect(wide.tileBlock(totalTiles: 688) == 344)
        #expect(wide.tileBlock(totalTiles: 600) == 600)
        // F(2×2) of layer4 at inference: 16 · 512 · 512 floats of weights dominate too.
        let layer4F2 = WinogradPlan(Padding.symmetric(1).geometry(height: 7, width: 7, kernel: 3, stride: 1),
                                    inChannels: 512, outChannels: 512)
        #expect(layer4F2.weightsDominate)
        #expect(layer4F2.tileBlock(totalTiles: 16) == 16)
    }

    /// A layer of 176 → 192 channels (F(2×2) at inference; in training on sixteen 7×7 images F(4×4),
    /// whose weights dominate): training forward and both gradients against the definitions.
    /// F(4×4)'s larger transform points round more over 176 channels: within 3e-5 of the largest value.
    @Test(arguments: [1, 2])
    func weightHeavyLayerInTrainingMatchesDefinition(_ workers: Int) {
        var values = SeededValues(seed: 31)
        let x = values.tensor([16, 176, 7, 7])
        let w = values.tensor([192, 176, 3, 3], scale: 0.05)
        var conv = Conv2d(weight: w, stride: 1, padding: .symmetric(1))
        let g = conv.geometry(for: x)
        #expect(conv.winogradTile == 2 && conv.trainingWinogradTile(for: g, batch: 16) == 4)
        #expect(WinogradF4Plan(g, inChannels: 176, outChannels: 192).weightsDominate)
        expectTrainingPassesMatchDefinition(&conv, input: x, values: &values, tolerance: 3e-5,
                                            compute: ComputeContext(workers: workers), "\(workers) workers")
    }

    /// F(2×2) on eleven 14×14 images of 256 channels (ResNet18's layer3 in training): the backward's
    /// blocks of 128 tiles end inside the third, sixth, eighth and eleventh images, so the input
    /// gradient of the rows two blocks reach is written by the first and added to by the second.
    @Test(arguments: [1, 2])
    func blocksSplittingAnImageMatchIm2col(_ workers: Int) {
        var values = SeededValues(seed: 43)
        let x = values.tensor([11, 256, 14, 14])
        let w = values.tensor([256, 256 * 9], scale: 0.03)
        let g = Padding.symmetric(1).geometry(height: 14, width: 14, kernel: 3, stride: 1)
        let plan = WinogradPlan(g, inChannels: 256, outChannels: 256)
        #expect(plan.tileBlock(totalTiles: 11 * 49) == 128 && 128 % 49 != 0)
        expectBackwardMatchesIm2col(values.tensor([11, 256, 14, 14]), input: x, weights: w, geometry: g, outputTile: 2,
                                    tolerance: 1e-5, compute: ComputeContext(workers: workers), "\(workers) workers")
    }

    /// 688 tiles of a 172-channel layer: two blocks of 344, one after another. Forward, input and
    /// weight gradients (the latter summed over both blocks) against im2col + GEMM.
    @Test(arguments: [1, 2])
    func twoLargeBlocksMatchIm2col(_ workers: Int) {
        var values = SeededValues(seed: 37)
        let x = values.tensor([43, 172, 16, 16])
        let w = values.tensor([172, 172 * 9], scale: 0.05)
        let g = Padding.symmetric(1).geometry(height: 16, width: 16, kernel: 3, stride: 1)
        let compute = ComputeContext(workers: workers)
        let bias = [Float](repeating: 0, count: 172)
        let y = Tensor.winogradConvolution(x, transformedWeights: Tensor.winogradWeights(w, outputTile: 4, compute: compute),
                                           bias: bias, geometry: g, compute: compute)
        let expectedY = Tensor.convolution(x, weights: w, bias: bias, geometry: g, compute: compute)
        #expect(relativeDifference(y, expectedY) <= 3e-5,
                "forward, \(workers) workers: \(relativeDifference(y, expectedY))")
        expectBackwardMatchesIm2col(values.tensor(y.shape), input: x, weights: w, geometry: g, outputTile: 4,
                                    tolerance: 3e-5, compute: compute, "\(workers) workers")
    }

    /// `Tensor.winogradBackward`'s input and weight gradients (with freshly transformed weights)
    /// against im2col + GEMM, each within `tolerance` of the largest expected value.
    private func expectBackwardMatchesIm2col(_ dy: Tensor, input x: Tensor, weights w: Tensor, geometry g: ConvolutionGeometry,
                                             outputTile: Int, tolerance: Float, compute: ComputeContext, _ label: String) {
        let expected = Tensor.convolutionBackward(dy, input: x, weights: w, geometry: g, inputGradient: true, compute: compute)
        let u = Tensor.winogradWeights(w, outputTile: outputTile, compute: compute)
        let (dx, dw) = Tensor.winogradBackward(dy, input: x, transformedWeights: u, geometry: g, outputTile: outputTile,
                                               compute: compute)
        #expect(relativeDifference(dx!, expected.input!) <= tolerance, "dX, \(label): \(relativeDifference(dx!, expected.input!))")
        #expect(relativeDifference(dw, expected.weights) <= tolerance, "dW, \(label): \(relativeDifference(dw, expected.weights))")
    }
}
