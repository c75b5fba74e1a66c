import Testing
@testable import Tensors
@testable import Networks

/// The last step of the Winograd weight gradient, `dW = Gᵀ dU G` per channel pair in Double
/// (`Tensor.winogradWeightsAdjoint`), runs over runs of input channels of one output channel, each
/// transform point's row read in one piece. Against the pair-by-pair definition: the same
/// operations in the same order for every pair, so the same bits.
@Suite struct WinogradWeightsAdjointTests {
    /// 301 input channels: two whole runs of 128 and a last one of 45 (its last group of four has one
    /// pair); 5 output channels split over the workers.
    @Test(arguments: [2, 4], [1, 2])
    func matchesThePairByPairDefinitionBitForBit(_ outputTile: Int, _ workers: Int) {
        let (cout, cin, alpha) = (5, 301, outputTile + 2)
        #expect(Tensor.weightTransformRun == 128)
        let stride = winogradPointStride(rows: cout, ld: cin)
        var values = SeededValues(seed: 47)
        let du = values.tensor([alpha * alpha * stride])
        let dW = du.storage.withUnsafeBufferPointer {
            Tensor.winogradWeightsAdjoint($0.baseAddress!, pointStride: stride, outputTile: outputTile, outChannels: cout,
                                          inChannels: cin, compute: ComputeContext(workers: workers))
        }
        let g = winogradWeightTransform(outputTile: outputTile)
        var mismatches = 0
        for o in 0..<cout {
            for c in 0..<cin {
                var t = [[Double]](repeating: [0, 0, 0], count: alpha)   // dU G
                for i in 0..<alpha {
                    for b in 0..<3 {
                        var sum = 0.0
                        for j in 0..<alpha { sum += Double(du.storage[(i * alpha + j) * stride + o * cin + c]) * g[j][b] }
                        t[i][b] = sum
                    }
                }
                for a in 0..<3 {
                    for b in 0..<3 {
                        var sum = 0.0
                        for i in 0..<alpha { sum += g[i][a] * t[i][b] }
                        if dW.storage[(o * cin + c) * 9 + a * 3 + b] != Float(sum) { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0, "F(\(outputTile)), \(workers) workers: \(mismatches) of \(cout * cin * 9) weights differ")
    }
}
