import Support
import Tensors
@testable import Networks

/// Central finite differences against an analytic gradient.
///
/// The scalar checked is `L = Σ r·f(x)` for a fixed random `r` (so the analytic gradient is the
/// backward pass fed `dy = r`), summed in Double. For each sampled coordinate i:
/// `(L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h`, the forward itself running in Float.
enum GradientCheck {
    static func random(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, storage: (0..<n).map { _ in Float(g.normal() * scale) })
    }

    static func loss(_ y: Tensor, _ r: Tensor) -> Double {
        var total = 0.0
        for i in 0..<y.count { total += Double(y.storage[i]) * Double(r.storage[i]) }
        return total
    }

    /// Largest |analytic − numeric| over the sampled coordinates, relative to the largest |numeric|
    /// (at least `floor`, so a gradient that is tiny by construction compares against a given scale).
    static func relativeError(of f: (Tensor) -> Tensor, at x: Tensor, analytic: Tensor, r: Tensor,
                              h: Float = 1e-2, samples: Int = 48, seed: UInt64 = 99, floor: Double = 1e-3) -> Double {
        precondition(analytic.shape == x.shape, "analytic gradient \(analytic.shape) for \(x.shape)")
        var g = SeededGenerator(seed: seed)
        let indices = x.count <= samples ? Array(0..<x.count) : (0..<samples).map { _ in g.uniformInt(below: x.count) }
        var worst = 0.0, largest = 0.0
        for i in indices {
            var plus = x, minus = x
            plus.storage[i] += h
            minus.storage[i] -= h
            let step = Double(plus.storage[i]) - Double(minus.storage[i])   // the h actually represented
            let numeric = (loss(f(plus), r) - loss(f(minus), r)) / step
            worst = max(worst, abs(numeric - Double(analytic.storage[i])))
            largest = max(largest, abs(numeric))
        }
        return worst / max(largest, floor)
    }
}
