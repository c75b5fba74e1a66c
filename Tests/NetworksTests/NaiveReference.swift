import Support
import Tensors
@testable import Networks

/// Direct, loop-by-loop definitions the fast kernels are checked against: no im2col, no folding,
/// no SIMD, padding by explicit bounds checks, accumulation in Double.
enum NaiveReference {
    /// x `[N, Cin, H, W]`, w `[Cout, Cin/groups, k, k]` → `[N, Cout, Ho, Wo]`.
    static func convolution(_ x: Tensor, weight w: Tensor, bias: [Float]?, groups: Int,
                            geometry g: ConvolutionGeometry) -> Tensor {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, cinPerGroup, k) = (w.shape[0], w.shape[1], w.shape[2])
        let coutPerGroup = cout / groups
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        var y = Tensor(shape: [n, cout, ho, wo])
        for b in 0..<n { for o in 0..<cout { for oy in 0..<ho { for ox in 0..<wo {
            var acc = Double(bias?[o] ?? 0)
            let group = o / coutPerGroup
            for ci in 0..<cinPerGroup {
                let c = group * cinPerGroup + ci
                for ky in 0..<k { for kx in 0..<k {
                    let iy = oy * g.stride - g.padTop + ky, ix = ox * g.stride - g.padLeft + kx
                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                    acc += Double(w[o, ci, ky, kx]) * Double(x[b, c, iy, ix])
                }}
            }
            y[b, o, oy, ox] = Float(acc)
        }}}}
        _ = cin
        return y
    }

    /// The gradients of the dense convolution above (no bias) for output gradient dy
    /// `[N, Cout, Ho, Wo]`: dX `[N, Cin, H, W]` and dW `[Cout, Cin, k, k]`, each entry one Double sum.
    static func convolutionGradients(_ dy: Tensor, input x: Tensor, weight w: Tensor,
                                     geometry g: ConvolutionGeometry) -> (input: Tensor, weight: Tensor) {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, k) = (w.shape[0], w.shape[2])
        let (ho, wo) = (g.outputHeight, g.outputWidth)
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
        for b in 0..<n { for o in 0..<cout { for oy in 0..<ho { for ox in 0..<wo {
            let d = Double(dy[b, o, oy, ox])
            for c in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                let iy = oy * g.stride - g.padTop + ky, ix = ox * g.stride - g.padLeft + kx
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                dx[((b * cin + c) * h + iy) * wd + ix] += d * Double(w[o, c, ky, kx])
                dw[((o * cin + c) * k + ky) * k + kx] += d * Double(x[b, c, iy, ix])
            }}}
        }}}}
        return (Tensor(shape: x.shape, storage: dx.map(Float.init)), Tensor(shape: w.shape, storage: dw.map(Float.init)))
    }

    static func maxPool(_ x: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = Tensor(shape: [n, c, g.outputHeight, g.outputWidth])
        for b in 0..<n { for ch in 0..<c { for oy in 0..<g.outputHeight { for ox in 0..<g.outputWidth {
            var m = -Float.infinity
            for ky in 0..<g.kernelHeight { for kx in 0..<g.kernelWidth {
                let iy = oy * g.stride - g.padTop + ky, ix = ox * g.stride - g.padLeft + kx
                if iy >= 0, iy < h, ix >= 0, ix < w { m = max(m, x[b, ch, iy, ix]) }
            }}
            y[b, ch, oy, ox] = m
        }}}}
        return y
    }

    static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor(shape: a.shape, storage: zip(a.storage, b.storage).map { $0 + $1 })
    }
}

/// Seeded test tensors with values in [offset - scale, offset + scale).
struct SeededValues {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func tensor(_ shape: [Int], scale: Float = 1, offset: Float = 0) -> Tensor {
        Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in generator.uniformFloat(-1, 1) * scale + offset })
    }
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func maxAbs(_ a: Tensor) -> Float {
    a.storage.reduce(0) { max($0, abs($1)) }
}

/// The largest difference from `expected`, relative to its largest value (or to 1 when all are
/// smaller): the measure the kernel tests bound, as rounding grows with the values summed.
func relativeDifference(_ actual: Tensor, _ expected: Tensor) -> Float {
    maxAbsDifference(actual, expected) / max(1, maxAbs(expected))
}

func cosine(_ a: Tensor, _ b: Tensor) -> Double {
    cosine(a.storage.map(Double.init), b.storage.map(Double.init))
}

/// Indices of the `k` largest values of a `[1, classes]` row, largest first.
func topK(_ logits: Tensor, _ k: Int = 5) -> [Int] {
    Array(logits.storage.indices.sorted { logits.storage[$0] > logits.storage[$1] }.prefix(k))
}
