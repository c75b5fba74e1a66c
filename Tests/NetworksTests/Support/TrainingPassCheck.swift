import Testing
import Tensors
@testable import Networks

/// A convolution's three training passes against the loop-by-loop definitions: the training
/// forward, then, for an output gradient drawn from `values`, the input and weight gradients, each
/// within `tolerance` of the largest expected value (`relativeDifference`).
func expectTrainingPassesMatchDefinition(_ conv: inout Conv2d, input x: Tensor, values: inout SeededValues,
                                         tolerance: Float, compute: ComputeContext, _ label: String) {
    let (w, g) = (conv.weight.value, conv.geometry(for: x))
    let (y, winograd) = conv.trainingForwardKeepingWeights(x, compute: compute)
    let expectedY = NaiveReference.convolution(x, weight: w, bias: nil, groups: 1, geometry: g)
    #expect(relativeDifference(y, expectedY) <= tolerance, "forward, \(label): \(relativeDifference(y, expectedY))")
    let dy = values.tensor(y.shape)
    let expected = NaiveReference.convolutionGradients(dy, input: x, weight: w, geometry: g)
    let dx = conv.backward(dy, input: x, winograd: winograd, compute: compute)!
    #expect(relativeDifference(dx, expected.input) <= tolerance, "dX, \(label): \(relativeDifference(dx, expected.input))")
    let dw = conv.weight.gradient
    #expect(relativeDifference(dw, expected.weight) <= tolerance, "dW, \(label): \(relativeDifference(dw, expected.weight))")
}
