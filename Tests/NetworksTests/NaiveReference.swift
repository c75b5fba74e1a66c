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

/// Seeded values in [-1, 1) (SplitMix64), so every test input is reproducible.
struct SeededValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Double(z >> 11) / Double(1 << 53) * 2 - 1)
    }

    mutating func tensor(_ shape: [Int], scale: Float = 1, offset: Float = 0) -> Tensor {
        Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in next() * scale + offset })
    }
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func maxAbs(_ a: Tensor) -> Float {
    a.storage.reduce(0) { max($0, abs($1)) }
}

func cosine(_ a: Tensor, _ b: Tensor) -> Double {
    var (dot, na, nb) = (0.0, 0.0, 0.0)
    for (x, y) in zip(a.storage, b.storage) {
        dot += Double(x) * Double(y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

/// Indices of the `k` largest values of a `[1, classes]` row, largest first.
func topK(_ logits: Tensor, _ k: Int = 5) -> [Int] {
    Array(logits.storage.indices.sorted { logits.storage[$0] > logits.storage[$1] }.prefix(k))
}
