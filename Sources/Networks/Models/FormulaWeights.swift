import Tensors

/// Deterministic weights any language can reproduce, from the reference README ("ResNet18 with
/// formula weights"): parity tests and benchmarks run without a 45 MB weights file.
///
/// Tensor `k` (in state-dict order, no `num_batches_tracked`), element `i`:
/// `u = ((i+1)·2654435761 + k·40503) mod 2³²`, `s = 2·u/2³² − 1`, then by kind: conv/linear weight
/// `√(6/fan_in)·s`, BN weight `1 + s/4`, BN bias / fc bias / running mean `s/10`, running var `1 + s/2`;
/// computed in Double and rounded once to Float.
public enum FormulaWeights {
    public static func stateDict(_ entries: [(name: String, shape: [Int])], source: String = "formula weights") -> StateDict {
        var dict = StateDict(source: source)
        for (k, entry) in entries.enumerated() {
            dict[entry.name] = StoredTensor(tensor(index: k, name: entry.name, shape: entry.shape))
        }
        return dict
    }

    static func tensor(index k: Int, name: String, shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        let value: (Double) -> Double
        if shape.count > 1 {
            let bound = (6.0 / Double(n / shape[0])).squareRoot()
            value = { bound * $0 }
        } else if name.hasSuffix("running_var") {
            value = { 1 + 0.5 * $0 }
        } else if name.hasSuffix("running_mean") || name.hasSuffix("bias") {
            value = { 0.1 * $0 }
        } else {
            value = { 1 + 0.25 * $0 }
        }
        var storage = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let u = UInt32(truncatingIfNeeded: UInt64(i + 1) &* 2_654_435_761 &+ UInt64(k) &* 40503)
            storage[i] = Float(value(2 * (Double(u) / 4_294_967_296.0) - 1))
        }
        return Tensor(shape: shape, storage: storage)
    }
}
