import Support
import Testing
import Tensors
@testable import Networks

/// Training-mode BatchNorm rounds as PyTorch's float32 CPU kernel does (batch statistics summed in
/// Double, `x·scale + shift` as one fused multiply-add): with batch statistics the network is
/// ill-conditioned near ReLU kinks, so last-bit differences decide which activations pass.
@Suite struct BatchNormRoundingTests {
    /// 4 images × 2 channels of 64×64, values near 0.1 (where Float lane sums drift).
    private func batch() -> Tensor {
        var generator = SeededGenerator(seed: 7)
        let values = (0..<(4 * 2 * 64 * 64)).map { _ in 0.1 + Float.random(in: -0.01...0.01, using: &generator) }
        return Tensor(shape: [4, 2, 64, 64], storage: values)
    }

    @Test func batchStatisticsAreSummedInDouble() {
        let x = batch()
        let (mean, squares) = Tensor.channelStatistics(x, compute: ComputeContext(workers: 2))
        let area = 64 * 64
        for c in 0..<2 {
            var values: [Float] = []
            for n in 0..<4 {
                let start = (n * 2 + c) * area
                values += x.storage[start..<(start + area)]
            }
            var sum = 0.0
            for v in values { sum += Double(v) }
            let m = Float(sum / Double(values.count))
            var total = 0.0
            for v in values { total += Double((v - m) * (v - m)) }
            let s = Float(total)
            #expect(mean[c] == m, "channel \(c): mean \(mean[c]) vs Double-accumulated \(m)")
            #expect(abs(squares[c] - s) <= s.ulp, "channel \(c): Σ(x − mean)² \(squares[c]) vs Double-accumulated \(s)")
        }
    }

    @Test func affineIsOneFusedMultiplyAdd() {
        let x = batch()
        let bn = BatchNorm2d(weight: Tensor(shape: [2], storage: [1.3, 0.7]), bias: Tensor(shape: [2], storage: [-0.2, 0.4]),
                             runningMean: Tensor(shape: [2]), runningVar: Tensor(shape: [2], repeating: 1))
        let s = bn.batchStatistics(x, compute: ComputeContext(workers: 2))
        let y = bn.forward(x, statistics: s, compute: ComputeContext(workers: 2))
        var mismatches = 0
        for i in 0..<x.count {
            let c = (i / (64 * 64)) % 2
            let scale = bn.weight.value.storage[c] * s.invStd[c]
            let shift = bn.bias.value.storage[c].addingProduct(-s.mean[c], scale)
            if y.storage[i] != shift.addingProduct(x.storage[i], scale) { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(x.count) outputs are not fma(x, γ·invStd, β − mean·γ·invStd)")
    }

    @Test func runningUpdateUsesTheUnbiasedVariance() {
        let x = batch()
        var bn = BatchNorm2d(weight: Tensor(shape: [2], repeating: 1), bias: Tensor(shape: [2]),
                             runningMean: Tensor(shape: [2]), runningVar: Tensor(shape: [2], repeating: 1))
        let s = bn.batchStatistics(x, compute: ComputeContext(workers: 2))
        bn.updateRunningStatistics(s)
        let count = Float(4 * 64 * 64)
        for c in 0..<2 {
            let unbiased = s.sumOfSquares![c] / (count - 1)
            #expect(abs(bn.runningVar.value.storage[c] - (0.9 + 0.1 * unbiased)) <= 1e-6, "running var \(bn.runningVar.value.storage[c])")
            #expect(abs(bn.runningMean.value.storage[c] - 0.1 * s.mean[c]) <= 1e-7, "running mean \(bn.runningMean.value.storage[c])")
        }
    }
}
