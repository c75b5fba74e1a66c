import Foundation
import Imaging
import Networks
import Support
import Testing
import Tensors
@testable import CoverAnalysis

/// `CoverScan` hands a batch to its network workers before it waits for the one before, so the
/// workers run the pieces of several batches at once. Each batch's embeddings must still be
/// `featureMaps`' bits, in its own order, whichever batch is waited for first.
@Suite struct NetworkWorkersTests {
    private func model<B: Backbone>(_ backbone: B) -> CoverModel {
        CoverModel(backbone: backbone, preprocessing: Preprocessing(normalization: .imagenet), name: B.architecture,
                   embeddingFingerprint: B.architecture)
    }

    /// Batches of 5, 2 and 3 images (ResNet18 cuts 5 into pieces of 1, 1, 1 and 2), 64×64 pixels.
    private func check(_ model: CoverModel) {
        let compute = ComputeContext(workers: 2)
        compute.applyGEMMThreads()
        var generator = SeededGenerator(seed: 17)
        let batches = [5, 2, 3].map { n in
            Tensor(shape: [n, 3, 64, 64], storage: (0..<n * 3 * 64 * 64).map { _ in generator.uniformFloat(-2, 2) })
        }
        let expected = batches.map { GlobalAveragePool().forward(model.backbone.featureMaps($0, compute: compute)) }
        let workers = NetworkWorkers(model: model, compute: compute)
        let handedOver = batches.map { workers.submit($0) }
        // Waited for last first: the other two are done or still running by then.
        for index in [2, 0, 1] {
            let embeddings = workers.embeddings(of: handedOver[index])
            #expect(embeddings.shape == expected[index].shape)
            #expect(embeddings.storage.map(\.bitPattern) == expected[index].storage.map(\.bitPattern),
                    "\(model.architecture), batch \(index): embeddings differ from featureMaps'")
        }
    }

    @Test func resNet18PiecesGiveTheBatchsBits() throws {
        check(model(try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes()))))
    }

    @Test func efficientNetPiecesGiveTheBatchsBits() throws {
        check(model(try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes()))))
    }

    /// A scan that stops with batches still queued (a store that fails to save) drops them: each
    /// worker ends after the piece it is running, and no thread is left waiting.
    @Test func droppedWorkersEndTheirThreads() throws {
        final class Exits: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            func add() { lock.lock(); count += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return count }
        }
        let exits = Exits()
        let compute = ComputeContext(workers: 2)
        let model = model(try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes())))
        var workers: NetworkWorkers? = NetworkWorkers(model: model, compute: compute) { exits.add() }
        let batch = Tensor(shape: [4, 3, 32, 32], repeating: 0.5)
        for _ in 0..<8 { _ = workers!.submit(batch) }
        workers = nil
        let deadline = Date().addingTimeInterval(60)
        while exits.value < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(exits.value == 2, "\(exits.value) of 2 network threads ended")
    }
}
