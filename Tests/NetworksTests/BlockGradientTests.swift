import Testing
import Tensors
@testable import Networks

/// Whole blocks (MBConv, BasicBlock) in training mode against finite differences: the composition of
/// the layer backwards, the residual adds, and each layer adding into its own parameters' gradients.
@Suite struct BlockGradientTests {
    /// Checks dL/dx and the gradients of `names` for a block (built at path `b`, loaded with formula
    /// weights, perturbed by the check) with training forward `forward` and backward `backward`.
    private func check<Block: Module>(_ label: String, block unloaded: Block, input: [Int], names: [String],
                                      forward: (inout Block, Tensor) -> Tensor,
                                      backward: (inout Block, Tensor, Tensor) -> Tensor?) {
        let dict = FormulaWeights.stateDict(unloaded.tensorShapes)
        func build(_ dict: StateDict) -> Block {
            var block = unloaded
            #expect(block.load(dict).problems.isEmpty, "\(label): formula weights do not fit")
            return block
        }
        func output(_ dict: StateDict, _ x: Tensor) -> Tensor {
            var block = build(dict)
            return forward(&block, x)
        }
        let x = GradientCheck.random(input, seed: 31)
        let r = GradientCheck.random(output(dict, x).shape, seed: 32)
        var trained = build(dict)
        let dx = backward(&trained, x, r)!
        let gradients = Dictionary(uniqueKeysWithValues: trained.parameters.map { ($0.name, $0.gradient) })
        // h = 3e-3: the training forward runs 3×3 stride-1 layers as Winograd F(4×4, 3×3), whose float32
        // rounding is about five times the column product's; divided by h = 1e-3 that noise alone
        // reached 5.1e-3 on BasicBlock 4→4 (0.6e-3 with the column product), at 3e-3 it is 1.3e-3.
        let inputError = GradientCheck.relativeError(of: { output(dict, $0) }, at: x, analytic: dx, r: r, h: 3e-3)
        #expect(inputError < 5e-3, "\(label): dX relative error \(inputError)")
        // Training-mode BatchNorm makes the loss nearly invariant to the scale of the layers before it,
        // so some of these gradients are tiny; they are compared on the scale of the largest one.
        let scale = names.map { gradients[$0]!.storage.map { abs(Double($0)) }.max() ?? 0 }.max() ?? 0
        for name in names {
            let value = try! dict.tensor(name)
            let error = GradientCheck.relativeError(of: { v in
                var changed = dict
                changed[name] = StoredTensor(v)
                return output(changed, x)
            }, at: value, analytic: gradients[name]!, r: r, h: 2e-4, samples: 24, floor: 0.05 * scale)
            // A weight moves a whole channel, so some of its values cross a ReLU6 kink within ±h; the
            // per-layer checks (LayerGradientTests) are the tight ones, this one catches wiring errors.
            #expect(error < 2e-2, "\(label): d\(name) relative error \(error)")
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
        check("MBConv \(c)", block: MBConvBlock(ModulePath("b"), c), input: [2, c.inChannels, 8, 9], names: names,
              forward: { block, x in block.trainingForward(x, batchStatistics: true, compute: ComputeContext(workers: 1)).output },
              backward: { block, x, dy in
                  let tape = block.trainingForward(x, batchStatistics: true, compute: ComputeContext(workers: 2)).tape
                  return block.backward(dy, tape: tape, inputGradient: true, compute: ComputeContext(workers: 2))
              })
    }

    @Test(arguments: [(4, 4, 1), (3, 6, 2)])
    func basicBlock(_ cin: Int, _ cout: Int, _ stride: Int) {
        var names = ["b.conv1.weight", "b.bn1.weight", "b.conv2.weight", "b.bn2.bias"]
        if stride != 1 { names += ["b.downsample.0.weight", "b.downsample.1.weight"] }
        check("BasicBlock \(cin)→\(cout)/\(stride)", block: BasicBlock(ModulePath("b"), inChannels: cin, outChannels: cout, stride: stride),
              input: [2, cin, 7, 8], names: names,
              forward: { block, x in block.trainingForward(x, batchStatistics: true, compute: ComputeContext(workers: 1)).output },
              backward: { block, x, dy in
                  let tape = block.trainingForward(x, batchStatistics: true, compute: ComputeContext(workers: 2)).tape
                  return block.backward(dy, tape: tape, inputGradient: true, compute: ComputeContext(workers: 2))
              })
    }
}
