import Testing
import Tensors
@testable import Networks

@Suite struct PoolingAndLinearTests {
    /// Rows of 12 (the scalar windows only) and of 41 (eight windows at a time inside the row).
    @Test(arguments: [12, 41])
    func maxPoolMatchesNaiveDefinitionAndIgnoresPadding(_ width: Int) {
        var values = SeededValues(seed: 3)
        // All-negative input: a zero-padded max pool would return 0 at the borders.
        let x = values.tensor([2, 3, 11, width], scale: 1, offset: -2)
        let pool = MaxPool2d(kernelSize: 3, stride: 2, padding: .symmetric(1))
        let g = Padding.symmetric(1).geometry(height: 11, width: width, kernel: 3, stride: 2)
        let expected = NaiveReference.maxPool(x, geometry: g)
        let y = pool.forward(x, compute: ComputeContext(workers: 2))
        #expect(y.shape == [2, 3, 6, (width + 1) / 2], "max pool shape")
        #expect(y == expected, "max pool values")
        #expect(pool.trainingForward(x, compute: ComputeContext(workers: 2)).output == expected, "training max pool values")
        #expect(y.storage.allSatisfy { $0 < 0 }, "padding won a max")
    }

    /// The gradient goes to the first maximum of each window in row-major order (PyTorch's rule), and
    /// overlapping windows add, on rows wide enough for eight windows at a time (ResNet18's stem pool,
    /// a stride-1 pool, a 2×2 one) and with values on a coarse grid, so that windows hold ties.
    @Test(arguments: [(3, 2, 1), (3, 1, 1), (2, 2, 0)])
    func maxPoolBackwardSendsEachGradientToTheFirstMaximum(_ kernel: Int, _ stride: Int, _ pad: Int) {
        var values = SeededValues(seed: 7)
        let x = Tensor(shape: [2, 3, 13, 41], storage: values.tensor([2, 3, 13, 41], scale: 3).storage.map { $0.rounded() })
        let pool = MaxPool2d(kernelSize: kernel, stride: stride, padding: .symmetric(pad))
        let g = Padding.symmetric(pad).geometry(height: 13, width: 41, kernel: kernel, stride: stride)
        let dy = values.tensor([2, 3, g.outputHeight, g.outputWidth])
        var expected = Tensor(shape: x.shape)
        for b in 0..<2 { for c in 0..<3 { for oy in 0..<g.outputHeight { for ox in 0..<g.outputWidth {
            var best: (value: Float, y: Int, x: Int)?
            for ky in 0..<kernel { for kx in 0..<kernel {
                let (iy, ix) = (oy * stride - pad + ky, ox * stride - pad + kx)
                guard iy >= 0, iy < 13, ix >= 0, ix < 41 else { continue }
                if best == nil || x[b, c, iy, ix] > best!.value { best = (x[b, c, iy, ix], iy, ix) }
            }}
            expected[b, c, best!.y, best!.x] += dy[b, c, oy, ox]
        }}}}
        for workers in [1, 2] {
            let compute = ComputeContext(workers: workers)
            let (y, winners) = pool.trainingForward(x, compute: compute)
            #expect(y == pool.forward(x, compute: compute), "\(kernel)×\(kernel)/\(stride): training forward's maxima")
            let dx = pool.backward(dy, winners: winners, inputShape: x.shape, compute: compute)
            #expect(dx == expected, "\(kernel)×\(kernel)/\(stride) pad \(pad), \(workers) workers: off by \(maxAbsDifference(dx, expected))")
        }
    }

    @Test func globalAveragePoolAveragesEachPlane() {
        var values = SeededValues(seed: 5)
        let x = values.tensor([2, 3, 7, 5])
        let y = GlobalAveragePool().forward(x)
        #expect(y.shape == [2, 3], "pooled shape")
        for b in 0..<2 { for c in 0..<3 {
            var sum = 0.0
            for i in 0..<7 { for j in 0..<5 { sum += Double(x[b, c, i, j]) } }
            #expect(abs(Double(y[b, c]) - sum / 35) < 1e-6, "plane \(b),\(c)")
        }}
    }

    @Test func linearComputesXWTransposedPlusBias() {
        let layer = Linear(weight: Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6]),
                           bias: Tensor(shape: [2], storage: [0.5, -1]))
        let x = Tensor(shape: [2, 3], storage: [1, 0, -1, 2, 1, 0])
        #expect(layer.forward(x).storage == [-1.5, -3, 4.5, 12], "linear output")
    }

    @Test func dropoutIsIdentityAtInference() {
        var values = SeededValues(seed: 9)
        let x = values.tensor([2, 5])
        #expect(Dropout(rate: 0.2).forward(x) == x, "dropout changed values at inference")
    }
}
