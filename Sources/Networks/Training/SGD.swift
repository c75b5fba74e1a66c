import Foundation
import Tensors

/// Stochastic gradient descent with momentum, exactly as `torch.optim.SGD` (CPU, `foreach=False`).
///
///     g ← g + wd·p                                  (weight decay as an L2 penalty)
///     first step:  b ← g                            (PyTorch clones the gradient: no dampening yet)
///     later:       b ← μ·b + (1 − dampening)·g
///     nesterov:    g ← g + μ·b    else g ← b
///     p ← p − lr·g
///
/// With momentum 0 no buffer is kept and this is plain SGD.
public struct SGD: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    public var dampening: Double
    public var weightDecay: Double
    public var nesterov: Bool

    private var buffers: [String: Buffer] = [:]

    private struct Buffer: Sendable {
        var step: Int
        var momentum: [Float]?
        var shape: [Int]
    }

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public mutating func update(_ parameter: inout Parameter) {
        guard parameter.isTrainable else { return }
        let n = parameter.count
        var state = buffers.removeValue(forKey: parameter.name)
            ?? Buffer(step: 0, momentum: nil, shape: parameter.value.shape)
        precondition(state.momentum == nil || state.momentum?.count == n,
                     "SGD momentum for \(parameter.name) does not fit its shape \(parameter.value.shape); validate restored state first")
        state.step += 1
        let wd = Float(weightDecay)
        let mu = Float(momentum)
        let keep = Float(1 - dampening)
        let negativeLR = Float(-learningRate)
        var g = parameter.gradient.storage
        if weightDecay != 0 {
            for i in 0..<n { g[i] = g[i].addingProduct(wd, parameter.value.storage[i]) }   // grad.add(p, alpha=wd)
        }
        if momentum != 0 {
            if var b = state.momentum {
                state.momentum = nil                                                        // keep b unique
                for i in 0..<n { b[i] = (b[i] * mu).addingProduct(keep, g[i]) }           // mul_(μ).add_(g, alpha=1-d)
                state.momentum = b
            } else {
                state.momentum = g                                                          // torch.clone(grad)
            }
            let b = state.momentum ?? g
            if nesterov {
                for i in 0..<n { g[i] = g[i].addingProduct(mu, b[i]) }                     // grad.add(buf, alpha=μ)
            } else {
                g = b
            }
        }
        for i in 0..<n { parameter.value.storage[i] = parameter.value.storage[i].addingProduct(negativeLR, g[i]) }
        buffers[parameter.name] = state
    }

    public func state() -> OptimizerState {
        var steps: [String: Int] = [:]
        var tensors: [String: [String: Tensor]] = [:]
        for (name, b) in buffers {
            steps[name] = b.step
            if let m = b.momentum { tensors[name] = ["momentum_buffer": Tensor(shape: b.shape, storage: m)] }
        }
        return OptimizerState(kind: "sgd",
                              hyperparameters: ["lr": learningRate, "momentum": momentum, "dampening": dampening,
                                                "weight_decay": weightDecay, "nesterov": nesterov ? 1 : 0],
                              steps: steps, buffers: tensors)
    }

    public init(restoring state: OptimizerState) throws {
        guard state.kind == "sgd" else { throw OptimizerStateError.wrongKind(expected: "sgd", found: state.kind) }
        self.init(learningRate: try state.require("lr"), momentum: try state.require("momentum"),
                  dampening: try state.require("dampening"), weightDecay: try state.require("weight_decay"),
                  nesterov: try state.require("nesterov") != 0)
        for (name, step) in state.steps {
            let m = state.buffers[name]?["momentum_buffer"]
            buffers[name] = Buffer(step: step, momentum: m?.storage, shape: m?.shape ?? [])
        }
    }
}
