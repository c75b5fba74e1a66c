import Foundation

/// `torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2)`.
///
/// The global norm is the L2 norm over *all* gradients together (sqrt of the sum of the squared
/// per-parameter norms). If it exceeds `maxNorm`, every gradient is scaled by
/// `maxNorm / (norm + 1e-6)`; otherwise gradients are untouched. PyTorch includes every parameter
/// that has a gradient, frozen or not, and so does this (pass only the trainable ones to match a
/// PyTorch run that froze layers with `requires_grad_(False)`).
///
/// - Returns: the global norm before clipping (what PyTorch returns), for logging.
@discardableResult
public func clipGradientNorm(_ parameters: inout some Module, maxNorm: Double) -> Double {
    let total = globalGradientNorm(parameters.parameters)
    guard let scale = gradientClipScale(norm: total, maxNorm: maxNorm) else { return total }
    parameters.updateParameters { $0.scaleGradient(by: scale) }
    return total
}

/// The factor `clip_grad_norm_` scales every gradient by, `maxNorm / (norm + 1e-6)` in Float, or
/// nil when the norm is within `maxNorm` and gradients stay as they are.
func gradientClipScale(norm: Double, maxNorm: Double) -> Float? {
    let coefficient = maxNorm / (norm + 1e-6)
    return coefficient < 1 ? Float(coefficient) : nil
}

extension Parameter {
    /// `gradient *= scale`.
    mutating func scaleGradient(by scale: Float) {
        for i in gradient.storage.indices { gradient.storage[i] *= scale }
    }
}

/// L2 norm of all gradients together, accumulated in Double.
public func globalGradientNorm(_ parameters: [Parameter]) -> Double {
    var sum = 0.0
    for p in parameters {
        for g in p.gradient.storage { sum += Double(g) * Double(g) }
    }
    return sum.squareRoot()
}

/// L2 norm of one gradient, accumulated in Double (the `grad_norms` of the PyTorch reference).
public func gradientNorm(_ parameter: Parameter) -> Double {
    globalGradientNorm([parameter])
}
