import CoverAnalysis
import Foundation
import Networks
import Tensors

/// The measurement behind the training defaults: head, partial and full training on the same
/// labelled covers (made by `coverlens synth`, see `Benchmarks/training-sweep.sh`), each run once
/// with many epochs. With the default constant learning rate the first e epochs of a long run are
/// exactly an e-epoch run, so one run per mode gives the validation AUC (best epoch so far, the
/// model `train` would keep) and the wall time for every epoch count.
///
/// Wall time counts everything a user waits for: scanning and decoding the covers, embedding them
/// (head mode, cold cache) or computing the frozen layers (partial mode), and the epochs.
enum TrainingSweep {
    struct Run {
        var name: String
        var config: TrainingConfig
    }

    struct Row {
        var name: String
        var epoch: Int
        var seconds: Double
        var auc: Double
        var bestSoFar: Double
    }

    static func runs(headEpochs: Int, partialEpochs: Int, augmentedEpochs: Int, fullEpochs: Int) -> [Run] {
        func config(_ mode: TrainingConfig.Mode, epochs: Int, augment: Bool = true, lr: Double = 1e-3) -> TrainingConfig {
            var c = TrainingConfig()
            c.mode = mode
            c.epochs = epochs
            c.augment = augment
            c.learningRate = lr
            c.seed = 1
            return c
        }
        var runs = [Run(name: "head", config: config(.head, epochs: headEpochs))]
        if partialEpochs > 0 {
            runs.append(Run(name: "partial-2 no-aug", config: config(.partial, epochs: partialEpochs, augment: false)))
            runs.append(Run(name: "partial-2 no-aug lr1e-4", config: config(.partial, epochs: partialEpochs, augment: false, lr: 1e-4)))
        }
        if augmentedEpochs > 0 { runs.append(Run(name: "partial-2 aug", config: config(.partial, epochs: augmentedEpochs))) }
        if fullEpochs > 0 { runs.append(Run(name: "full aug lr1e-4", config: config(.full, epochs: fullEpochs, lr: 1e-4))) }
        return runs
    }

    /// Runs every configuration on `data` (class folders) with `model`, printing one line per epoch and a summary.
    static func run(data: URL, model: URL, output: URL, budget: Double, runs: [Run], only: Set<String>?) throws {
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let store = try EmbeddingStore(url: output.appendingPathComponent("cache.sqlite"))
        let trainer = try CoverTrainer(baseModelFile: model, store: store)
        print("training sweep: \(data.path), \(Parallelism.workers) worker threads, budget \(Int(budget)) s; wall times on a shared machine")
        var rows: [Row] = []
        for run in runs where only?.contains(run.name) ?? true {
            let request = TrainingRequest(data: .classFolders(data, positive: "popular"),
                                          output: output.appendingPathComponent(run.name.replacingOccurrences(of: " ", with: "_")),
                                          config: run.config)
            let start = now()
            let epochs = Epochs()
            let outcome = try trainer.train(request) { event in
                if case .epoch(let m, _, _) = event { epochs.append(m.epoch, m.validation?.rocAUC ?? .nan, now() - start) }
            }
            var best = -Double.infinity
            for (epoch, auc, seconds) in epochs.values {
                best = max(best, auc)
                rows.append(Row(name: run.name, epoch: epoch, seconds: seconds, auc: auc, bestSoFar: best))
                print(String(format: "%-24@ epoch %3d  val AUC %.4f  best so far %.4f  %7.1f s", run.name as NSString, epoch, auc, best, seconds))
            }
            print(String(format: "%-24@ %d training / %d validation covers, %.1f CPU-seconds so far", run.name as NSString,
                         outcome.trainingCount, outcome.validationCount, cpuTime()))
        }
        print("\nwithin \(Int(budget)) s: best validation AUC per configuration (the epoch count train would need)")
        for name in runs.map(\.name) where only?.contains(name) ?? true {
            let inBudget = rows.filter { $0.name == name && $0.seconds <= budget }
            guard let last = inBudget.last, let first = rows.first(where: { $0.name == name }) else {
                let one = rows.first { $0.name == name }
                print(String(format: "%-24@ no epoch within budget (epoch 1 took %.1f s)", name as NSString, one?.seconds ?? .nan))
                continue
            }
            let bestEpoch = inBudget.first { $0.auc == last.bestSoFar } ?? first
            print(String(format: "%-24@ AUC %.4f at epoch %d (%.1f s); %d epochs fit (%.1f s)", name as NSString,
                         last.bestSoFar, bestEpoch.epoch, bestEpoch.seconds, last.epoch, last.seconds))
        }
    }

    /// Epoch results collected from the progress callback.
    final class Epochs: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var values: [(Int, Double, Double)] = []
        func append(_ epoch: Int, _ auc: Double, _ seconds: Double) {
            lock.lock()
            values.append((epoch, auc, seconds))
            lock.unlock()
        }
    }
}
