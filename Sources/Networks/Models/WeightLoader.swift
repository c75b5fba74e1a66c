import Tensors

/// Checks a state dict against the tensors an architecture expects, then hands out those tensors.
///
/// All problems are collected before anything is built, so one error lists every missing tensor,
/// wrong shape and unexpected name (PyTorch's strict `load_state_dict`), and says so first when the
/// file belongs to another architecture altogether.
struct WeightLoader {
    let stateDict: StateDict
    let architecture: String

    /// - expected: names and shapes in module order.
    /// - foreignMarkers: a tensor name that only another architecture has → that architecture's name.
    init(stateDict: StateDict, architecture: String, expected: [(name: String, shape: [Int])],
         foreignMarkers: [String: String]) throws {
        self.stateDict = stateDict
        self.architecture = architecture
        var problems: [String] = []
        for (marker, other) in foreignMarkers.sorted(by: { $0.key < $1.key }) where stateDict[marker] != nil {
            problems.append("this is a \(other) checkpoint, not \(architecture) (it has '\(marker)')")
            break
        }
        let expectedNames = Set(expected.map(\.name))
        for (name, shape) in expected {
            guard let stored = stateDict[name] else {
                problems.append("missing tensor '\(name)' \(shape)")
                continue
            }
            if stored.shape != shape {
                problems.append("'\(name)' has shape \(stored.shape), expected \(shape)")
            }
        }
        for name in stateDict.names where !expectedNames.contains(name) && !name.hasSuffix("num_batches_tracked") {
            problems.append("unexpected tensor '\(name)'")
        }
        if !problems.isEmpty {
            throw CheckpointError.architectureMismatch(path: stateDict.source, architecture: architecture,
                                                       problems: problems)
        }
    }

    /// Number of classes of the classifier `prefix.weight` / `prefix.bias`, nil when the state dict has none.
    static func classifierClasses(_ stateDict: StateDict, prefix: String) -> Int? {
        if let w = stateDict["\(prefix).weight"], let first = w.shape.first { return first }
        if let b = stateDict["\(prefix).bias"], let first = b.shape.first { return first }
        return nil
    }

    func tensor(_ name: String) throws -> Tensor {
        try stateDict.tensor(name)
    }

    /// Convolution `conv.weight` + BatchNorm `bn.{weight,bias,running_mean,running_var}` + activation.
    func convBN(conv: String, bn: String, stride: Int, padding: Padding, groups: Int = 1,
                eps: Double, momentum: Double, activation: Activation) throws -> ConvBNActivation {
        let c = Conv2d(weight: try tensor("\(conv).weight"), stride: stride, padding: padding, groups: groups)
        let norm = BatchNorm2d(weight: try tensor("\(bn).weight"), bias: try tensor("\(bn).bias"),
                               runningMean: try tensor("\(bn).running_mean"),
                               runningVar: try tensor("\(bn).running_var"), eps: eps, momentum: momentum)
        return ConvBNActivation(conv: c, bn: norm, activation: activation)
    }

    func linear(_ prefix: String) throws -> Linear {
        Linear(weight: try tensor("\(prefix).weight"), bias: try tensor("\(prefix).bias"))
    }
}

/// The shapes of one convolution + BatchNorm pair, for an architecture's expected-tensor list.
func convBNShapes(conv: String, bn: String, out: Int, inPerGroup: Int, kernel: Int) -> [(name: String, shape: [Int])] {
    [("\(conv).weight", [out, inPerGroup, kernel, kernel]),
     ("\(bn).weight", [out]), ("\(bn).bias", [out]), ("\(bn).running_mean", [out]), ("\(bn).running_var", [out])]
}
