import Testing
import Tensors
@testable import Networks

/// Whole blocks (MBConv, BasicBlock) in training mode against finite differences: the composition of
/// the layer backwards, the residual adds, and the gradient bookkeeping by PyTorch name.
@Suite struct BlockGradientTests {
    /// A block built from `dict` (formula weights, perturbed by the check).
    typealias Builder<Block> = (StateDict) -> Block

    /// Checks dL/dx and the gradients of `names` for a block `f(dict, x) → y` with backward `b`.
    private func check<Block>(_ label: String, shapes: [(name: String, shape: [Int])], input: [Int],
                              names: [String], build: Builder<Block>,
                              forward: (Block, Tensor) -> Tensor,
                              backward: (Block, Tensor, Tensor, inout ParameterSet) -> Tensor?) {
        let dict = FormulaWeights.stateDict(shapes)
        let block = build(dict)
        let x = GradientCheck.random(input, seed: 31)
        let r = GradientCheck.random(forward(block, x).shape, seed: 32)
        var set = ParameterSet(shapes.filter { !$0.name.hasSuffix("running_mean") && !$0.name.hasSuffix("running_var") }
            .map { Parameter(name: $0.name, value: (try? dict.tensor($0.name)) ?? Tensor(shape: $0.shape)) })
        let dx = backward(block, x, r, &set)!
        let inputError = GradientCheck.relativeError(of: { forward(block, $0) }, at: x, analytic: dx, r: r, h: 1e-3)
        #expect(inputError < 5e-3, "\(label): dX relative error \(inputError)")
        // Training-mode BatchNorm makes the loss nearly invariant to the scale of the layers before it,
        // so some of these gradients are tiny; they are compared on the scale of the largest one.
        let scale = names.map { set[$0]!.gradient.storage.map { abs(Double($0)) }.max() ?? 0 }.max() ?? 0
        for name in names {
            let value = try! dict.tensor(name)
            let error = GradientCheck.relativeError(of: { v in
                var changed = dict
                changed[name] = StoredTensor(v)
                return forward(build(changed), x)
            }, at: value, analytic: set[name]!.gradient, r: r, h: 2e-4, samples: 24,
                                                    floor: 0.05 * scale)
            // A weight moves a whole channel, so some of its values cross a ReLU6 kink within ±h; the
            // per-layer checks (LayerGradientTests) are the tight ones, this one catches wiring errors.
            #expect(error < 2e-2, "\(label): d\(name) relative error \(error)")
        }
    }

    private func mbconv(_ c: MBConvBlock.Configuration) -> Builder<MBConvBlock> {
        { dict in
            let w = try! WeightLoader(stateDict: dict, architecture: "test",
                                      expected: MBConvBlock.parameterShapes(prefix: "b", c), foreignMarkers: [:])
            return try! MBConvBlock(w, prefix: "b", c)
        }
    }

    @Test(arguments: [
        MBConvBlock.Configuration(inChannels: 4, outChannels: 4, expansion: 3, kernel: 3, stride: 1),   // residual
        MBConvBlock.Configuration(inChannels: 3, outChannels: 5, expansion: 2, kernel: 5, stride: 2),   // SAME (1,2)
        MBConvBlock.Configuration(inChannels: 4, outChannels: 3, expansion: 1, kernel: 3, stride: 1),   // no expand
    ])
    func mbconvBlock(_ c: MBConvBlock.Configuration) {
        var names = ["b._depthwise_conv.weight", "b._bn1.weight", "b._project_conv.weight", "b._bn2.bias"]
        if c.expansion != 1 { names += ["b._expand_conv.weight", "b._bn0.weight"] }
        check("MBConv \(c)", shapes: MBConvBlock.parameterShapes(prefix: "b", c), input: [2, c.inChannels, 8, 9],
              names: names, build: mbconv(c),
              forward: { $0.trainingForward($1, batchStatistics: true, workers: 1).output },
              backward: { block, x, dy, set in
                  let tape = block.trainingForward(x, batchStatistics: true, workers: 2).tape
                  return block.backward(dy, tape: tape, prefix: "b", gradients: &set, inputGradient: true, workers: 2)
              })
    }

    @Test(arguments: [(4, 4, 1), (3, 6, 2)])
    func basicBlock(_ cin: Int, _ cout: Int, _ stride: Int) {
        let shapes = BasicBlock.parameterShapes(prefix: "b", inChannels: cin, outChannels: cout, stride: stride)
        let build: Builder<BasicBlock> = { dict in
            let w = try! WeightLoader(stateDict: dict, architecture: "test", expected: shapes, foreignMarkers: [:])
            return try! BasicBlock(w, prefix: "b", inChannels: cin, outChannels: cout, stride: stride)
        }
        var names = ["b.conv1.weight", "b.bn1.weight", "b.conv2.weight", "b.bn2.bias"]
        if stride != 1 { names += ["b.downsample.0.weight", "b.downsample.1.weight"] }
        check("BasicBlock \(cin)→\(cout)/\(stride)", shapes: shapes, input: [2, cin, 7, 8], names: names, build: build,
              forward: { $0.trainingForward($1, batchStatistics: true, workers: 1).output },
              backward: { block, x, dy, set in
                  let tape = block.trainingForward(x, batchStatistics: true, workers: 2).tape
                  return block.backward(dy, tape: tape, prefix: "b", gradients: &set, inputGradient: true, workers: 2)
              })
    }
}
