import Testing
import Support
import Tensors
@testable import Networks

/// Fine-tuning folds BatchNorm and transforms the Winograd weights once per epoch instead of after
/// every step (`updateParameters(refold: false)`, then `refoldIfStale()`): the training steps must
/// not notice, and the inference path after the fold must be the one refolding every step gives.
@Suite struct DeferredRefoldTests {
    private func model() throws -> FineTuningModel<ResNet18> {
        var generator = SeededGenerator(seed: 5)
        let head = Linear(inFeatures: 512, outFeatures: 1, path: ModulePath("fc"), generator: &generator)
        return try FineTuningModel<ResNet18>(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes(classes: nil)),
                                             head: head, mode: .full(freezeBatchNorm: false), dropoutRate: 0)
    }

    @Test func foldingOnceAfterTheStepsGivesTheInferencePathOfFoldingAfterEach() throws {
        let compute = ComputeContext(workers: 2)
        var generator = SeededGenerator(seed: 9)
        let x = Tensor(shape: [2, 3, 64, 64], storage: (0..<(2 * 3 * 64 * 64)).map { _ in generator.uniformFloat(-1, 1) })
        let y = Tensor(shape: [2, 1], storage: [1, 0])
        var (eager, deferred) = (try model(), try model())
        var (eagerAdam, deferredAdam) = (Adam(learningRate: 1e-3), Adam(learningRate: 1e-3))
        var (eagerRNG, deferredRNG) = (SeededGenerator(seed: 1), SeededGenerator(seed: 1))
        for _ in 0..<2 {
            eager.zeroGradients()
            deferred.zeroGradients()
            let a = eager.forwardBackward(x, targets: y, loss: BCEWithLogits(), generator: &eagerRNG, compute: compute)
            let b = deferred.forwardBackward(x, targets: y, loss: BCEWithLogits(), generator: &deferredRNG, compute: compute)
            #expect(a.loss.bitPattern == b.loss.bitPattern, "training steps differ: \(a.loss) vs \(b.loss)")
            eager.updateParameters { eagerAdam.update(&$0, compute: compute) }
            deferred.updateParameters(refold: false) { deferredAdam.update(&$0, compute: compute) }
            #expect(!eager.inferenceIsStale)
            #expect(deferred.inferenceIsStale)
        }
        deferred.refoldIfStale()
        #expect(!deferred.inferenceIsStale)
        let (want, got) = (eager.logits(x, compute: compute), deferred.logits(x, compute: compute))
        #expect(want.storage.map(\.bitPattern) == got.storage.map(\.bitPattern), "\(want.storage) vs \(got.storage)")
        // And the fold did move the inference path: the logits are not those before training.
        #expect(try model().logits(x, compute: compute).storage != got.storage)
    }

    /// Loading a state folds every layer, so it leaves no stale inference path behind; neither does
    /// changing the mode after deferred steps.
    @Test func loadingAndChangingTheModeFoldAStaleModel() throws {
        let compute = ComputeContext(workers: 2)
        let x = Tensor(shape: [1, 3, 32, 32], repeating: 0.25)
        var trained = try model()
        var adam = Adam(learningRate: 1e-2)
        var rng = SeededGenerator(seed: 3)
        trained.zeroGradients()
        _ = trained.forwardBackward(Tensor(shape: [2, 3, 32, 32], repeating: 0.5), targets: Tensor(shape: [2, 1], storage: [1, 0]),
                                    loss: BCEWithLogits(), generator: &rng, compute: compute)
        trained.updateParameters(refold: false) { adam.update(&$0, compute: compute) }
        var loaded = trained
        try loaded.load(trained.stateDict())
        #expect(!loaded.inferenceIsStale)
        var switched = trained
        switched.mode = .head
        #expect(!switched.inferenceIsStale)
        trained.refoldIfStale()
        let want = trained.logits(x, compute: compute).storage
        #expect(loaded.logits(x, compute: compute).storage == want)
        #expect(switched.logits(x, compute: compute).storage == want)
    }
}
