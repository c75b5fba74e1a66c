/// Small pieces every kernel uses: uninitialised outputs, per-worker chunks, unaligned SIMD access,
/// and the fused "bias + residual + clamp" epilogue that follows each matrix product.

extension Tensor {
    /// A tensor whose values the caller overwrites completely; skips the zero fill that
    /// `init(shape:repeating:)` would spend a pass over memory on.
    static func uninitialized(shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, storage: [Float](unsafeUninitializedCapacity: count) { _, n in n = count })
    }
}

/// Splits `0..<count` into at most `workers` contiguous ranges and runs them in parallel, so a
/// kernel can allocate its scratch buffer once per range instead of once per item.
@inline(__always)
func parallelChunks(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = min(max(1, workers), count)
    parallelFor(chunks, workers: chunks) { chunk in
        body(chunk * count / chunks ..< (chunk + 1) * count / chunks)
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// The activation range a fused kernel clamps to: `(-∞, ∞)` none, `[0, ∞)` ReLU, `[0, 6]` ReLU6.
public struct ClampRange: Equatable, Sendable {
    public var lower: Float
    public var upper: Float
    public init(lower: Float, upper: Float) {
        self.lower = lower
        self.upper = upper
    }
    public static let none = ClampRange(lower: -.infinity, upper: .infinity)
}

/// `c[r, j] = clamp(c[r, j] + bias[r] + residual[r, j])` for `rows` × `width` values, rows `ldc` apart.
///
/// Runs right after the GEMM that produced the tile, while it is still in cache: this is where
/// folded BatchNorm (as a bias), the residual connection and ReLU/ReLU6 cost no extra memory pass.
@inline(__always)
func applyEpilogue(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, width: Int,
                   bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, clamp: ClampRange) {
    let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
    for r in 0..<rows {
        let p = c + r * ldc
        let b = bias[r]
        let bv = SIMD8<Float>(repeating: b)
        var j = 0
        if let residual {
            let q = residual + r * ldc
            while j + 8 <= width {
                let v = load8(p + j) + bv + load8(q + j)
                store8(v.clamped(lowerBound: lo, upperBound: hi), p + j)
                j += 8
            }
            while j < width {
                p[j] = min(max(p[j] + b + q[j], clamp.lower), clamp.upper)
                j += 1
            }
        } else {
            while j + 8 <= width {
                let v = load8(p + j) + bv
                store8(v.clamped(lowerBound: lo, upperBound: hi), p + j)
                j += 8
            }
            while j < width {
                p[j] = min(max(p[j] + b, clamp.lower), clamp.upper)
                j += 1
            }
        }
    }
}
