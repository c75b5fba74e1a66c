import Foundation
import Tensors

/// Adam and AdamW exactly as PyTorch's CPU (`foreach=False`) implementation computes them in float32.
///
/// Per parameter, at step t (starting at 1), with g the gradient:
///
///     AdamW only:   p ← p · (1 − lr·wd)                   decoupled decay (Loshchilov & Hutter)
///     Adam only:    g ← g + wd·p                          L2 penalty folded into the gradient
///     m ← m + (1 − β₁)·(g − m)                            `exp_avg.lerp_(g, 1 − β₁)`
///     v ← β₂·v + (1 − β₂)·g·g                            `exp_avg_sq.mul_(β₂).addcmul_(g, g, 1 − β₂)`
///     p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ε sits *outside* the square root and is added after the bias correction of v, which is what makes
/// the first step ≈ −lr·sign(g). The scalars (step size, √(1 − β₂ᵗ), 1 − lr·wd) are computed in
/// Double and rounded to Float once, and the element-wise operations run in PyTorch's order with
/// its fused multiply-adds, so results agree with PyTorch to the last bit or two.
public struct Adam: Optimizer {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// true = AdamW (decay applied to the weights, not the gradient).
    public var decoupledWeightDecay: Bool

    private var moments: [String: Moments] = [:]

    private struct Moments: Sendable {
        var step: Int
        var exponentialAverage: [Float]          // m, PyTorch's exp_avg
        var exponentialAverageSquared: [Float]   // v, PyTorch's exp_avg_sq
        var shape: [Int]
    }

    /// PyTorch's `torch.optim.Adam` defaults.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// `torch.optim.AdamW` with its defaults (note weight decay 0.01, not 0).
    public static func adamW(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                             epsilon: Double = 1e-8, weightDecay: Double = 1e-2) -> Adam {
        Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Updates applied to `name` so far.
    public func step(of name: String) -> Int { moments[name]?.step ?? 0 }

    public mutating func update(_ parameter: inout Parameter) {
        update(&parameter, compute: .default)
    }

    /// The update with the element-wise pass split over `compute`'s workers (the same bits for any count).
    public mutating func update(_ parameter: inout Parameter, compute: ComputeContext) {
        guard parameter.isTrainable else { return }
        let n = parameter.count
        var state = moments.removeValue(forKey: parameter.name)
            ?? Moments(step: 0, exponentialAverage: [Float](repeating: 0, count: n),
                       exponentialAverageSquared: [Float](repeating: 0, count: n), shape: parameter.value.shape)
        precondition(state.shape == parameter.value.shape,
                     "Adam state for \(parameter.name) has shape \(state.shape), the parameter \(parameter.value.shape); validate restored state first")
        state.step += 1
        let t = Double(state.step)
        let stepSize = Float(-(learningRate / (1 - pow(beta1, t))))
        let correction2Root = Float(pow(1 - pow(beta2, t), 0.5))
        let eps = Float(epsilon)
        let oneMinusBeta1 = Float(1 - beta1)
        let beta2f = Float(beta2)
        let oneMinusBeta2 = Float(1 - beta2)
        let l2 = (!decoupledWeightDecay && weightDecay != 0) ? Float(weightDecay) : 0
        let keep = decoupledWeightDecay && weightDecay != 0 ? Float(1 - learningRate * weightDecay) : 1
        let scalars = AdamKernel.Scalars(keep: keep, l2: l2, oneMinusBeta1: oneMinusBeta1, beta2: beta2f, oneMinusBeta2: oneMinusBeta2,
                                         stepSize: stepSize, correction2Root: correction2Root, epsilon: eps)
        AdamKernel.update(value: &parameter.value.storage, gradient: parameter.gradient.storage,
                          m: &state.exponentialAverage, v: &state.exponentialAverageSquared, scalars: scalars, compute: compute)
        moments[parameter.name] = state
    }

    public func state() -> OptimizerState {
        var steps: [String: Int] = [:]
        var buffers: [String: [String: Tensor]] = [:]
        for (name, m) in moments {
            steps[name] = m.step
            buffers[name] = ["exp_avg": Tensor(shape: m.shape, storage: m.exponentialAverage),
                             "exp_avg_sq": Tensor(shape: m.shape, storage: m.exponentialAverageSquared)]
        }
        return OptimizerState(kind: decoupledWeightDecay ? "adamw" : "adam",
                              hyperparameters: ["lr": learningRate, "beta1": beta1, "beta2": beta2, "eps": epsilon,
                                                "weight_decay": weightDecay],
                              steps: steps, buffers: buffers)
    }

    public init(restoring state: OptimizerState) throws {
        guard state.kind == "adam" || state.kind == "adamw" else {
            throw OptimizerStateError.wrongKind(expected: "adam or adamw", found: state.kind)
        }
        self.init(learningRate: try state.require("lr"), beta1: try state.require("beta1"),
                  beta2: try state.require("beta2"), epsilon: try state.require("eps"),
                  weightDecay: try state.require("weight_decay"), decoupledWeightDecay: state.kind == "adamw")
        for (name, step) in state.steps {
            guard let m = state.buffers[name]?["exp_avg"], let v = state.buffers[name]?["exp_avg_sq"] else {
                throw OptimizerStateError.malformedTensorName(source: "optimizer state", name: "optimizer.\(name).exp_avg")
            }
            guard m.shape == v.shape else {
                throw OptimizerStateError.bufferShape(parameter: name, buffer: "exp_avg_sq", expected: m.shape, found: v.shape)
            }
            moments[name] = Moments(step: step, exponentialAverage: m.storage,
                                    exponentialAverageSquared: v.storage, shape: m.shape)
        }
    }
}
