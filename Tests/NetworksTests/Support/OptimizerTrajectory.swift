import Testing
import Tensors
@testable import Networks

/// Steps `optimizer` on one parameter starting at [1, −2] with `gradients` in turn;
/// returns the parameter's values after each step.
func trajectory<O: Optimizer>(_ optimizer: inout O, gradients: [[Float]]) -> [[Float]] {
    var parameters = [Parameter(name: "w", value: Tensor(shape: [2], storage: [1, -2]))]
    var values: [[Float]] = []
    for g in gradients {
        parameters[0].gradient = Tensor(shape: [2], storage: g)
        optimizer.step(&parameters)
        values.append(parameters[0].value.storage)
    }
    return values
}

/// Expects every value within 2e-7 relative (float32 rounding) of the hand-computed Double value.
func expectTrajectory(_ got: [[Float]], _ expected: [[Double]], _ label: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == expected.count, "\(label): \(got.count) steps", sourceLocation: sourceLocation)
    for (step, (g, e)) in zip(got, expected).enumerated() {
        for i in g.indices {
            #expect(abs(Double(g[i]) - e[i]) <= 2e-7 * max(1, abs(e[i])),
                    "\(label) step \(step + 1) element \(i): \(g[i]) vs \(e[i])", sourceLocation: sourceLocation)
        }
    }
}
