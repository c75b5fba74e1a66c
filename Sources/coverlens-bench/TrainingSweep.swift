import CoverAnalysis
import Foundation
import Networks
import Support
import Tensors

/// The measurement behind the training defaults: head, partial and full training on the same
/// labelled covers (made by `coverlens synth`, see `Benchmarks/training-sweep.sh`), each run once
/// with many epochs. With the default constant learning rate the first e epochs of a long run are
/// exactly an e-epoch run, so one run per mode gives the validation AUC (best epoch so far, the
/// model `train` would keep) and the wall time for every epoch count.
///
/// Time counts everything a user waits for: scanning and decoding the covers, embedding them
/// (head mode, cold cache) or computing the frozen layers (partial mode), and the epochs. On a
/// shared machine wall time says more about the neighbours than about the run, so the budget is
/// checked in CPU time: `budget` seconds on `compute.workers` idle cores is budget × workers
/// CPU-seconds (generous by the part of a run that does not keep every core busy). Wall time is printed too.
enum TrainingSweep {
    struct Run {
        var name: String
        var config: TrainingConfig
    }

    struct Row {
        var name: String
        var epoch: Int
        var seconds: Double
        /// CPU-seconds since the run started, all threads.
        var cpu: Double
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
        }
        if augmentedEpochs > 0 { runs.append(Run(name: "partial-2 aug", config: config(.partial, epochs: augmentedEpochs))) }
        if fullEpochs > 0 { runs.append(Run(name: "full aug lr1e-4", config: config(.full, epochs: fullEpochs, lr: 1e-4))) }
        return runs
    }

    /// Runs every configuration on `data` (class folders) with `model`, printing one line per epoch and a summary.
    static func run(data: URL, model: URL, output: URL, budget: Double, compute: ComputeContext, runs: [Run], only: Set<String>?) throws {
        setvbuf(stdout, nil, _IOLBF, 0)   // one line per epoch, also into a file
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let store = try EmbeddingStore(url: output.appendingPathComponent("cache.sqlite"))
        var trainer = try CoverTrainer(baseModelFile: model, store: store)
        trainer.compute = compute
        print("training sweep: \(data.path), \(compute.workers) worker threads, budget \(Int(budget)) s; wall times on a shared machine")
        let rows = Rows()
        for run in runs where only?.contains(run.name) ?? true {
            let request = TrainingRequest(data: .classFolders(data, positive: "popular"),
                                          output: output.appendingPathComponent(run.name.replacingOccurrences(of: " ", with: "_")),
                                          config: run.config)
            let (start, cpuStart) = (now(), cpuTime())
            let outcome = try trainer.train(request) { event in
                guard case .epoch(let m, _, _) = event else { return }
                let auc = m.validation?.rocAUC ?? .nan
                let best = max(auc, rows.values.last { $0.name == run.name }?.bestSoFar ?? -.infinity)
                let row = Row(name: run.name, epoch: m.epoch, seconds: now() - start, cpu: cpuTime() - cpuStart, auc: auc, bestSoFar: best)
                rows.append(row)
                print(pad(run.name) + String(format: " epoch %3d  val AUC %.4f  best so far %.4f  %7.1f CPU-s  %7.1f s wall",
                                             row.epoch, auc, best, row.cpu, row.seconds))
            }
            print(pad(run.name) + " \(outcome.trainingCount) training / \(outcome.validationCount) validation covers")
        }
        let cpuBudget = budget * Double(compute.workers)
        print("\nwithin \(Int(budget)) s on \(compute.workers) cores (\(Int(cpuBudget)) CPU-s): best validation AUC per configuration")
        for name in runs.map(\.name) where only?.contains(name) ?? true {
            let inBudget = rows.values.filter { $0.name == name && $0.cpu <= cpuBudget }
            guard let last = inBudget.last, let first = rows.values.first(where: { $0.name == name }) else {
                let one = rows.values.first { $0.name == name }
                print(pad(name) + String(format: " no epoch within budget (epoch 1 took %.1f CPU-s)", one?.cpu ?? .nan))
                continue
            }
            let bestEpoch = inBudget.first { $0.auc == last.bestSoFar } ?? first
            let perEpoch = rows.values.filter { $0.name == name }.count > 1 ? (last.cpu - first.cpu) / Double(max(1, last.epoch - first.epoch)) : .nan
            print(pad(name) + String(format: " AUC %.4f at epoch %d (%.1f CPU-s); %d epochs ran within budget (%.1f CPU-s, %.1f CPU-s per further epoch)",
                         last.bestSoFar, bestEpoch.epoch, bestEpoch.cpu, last.epoch, last.cpu, perEpoch))
        }
    }

    /// Epoch rows collected from the progress callback (called on the training thread; locked for the compiler's sake).
    final class Rows: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Row] = []
        var values: [Row] { lock.lock(); defer { lock.unlock() }; return stored }
        func append(_ row: Row) { lock.lock(); stored.append(row); lock.unlock() }
    }

    static func pad(_ name: String) -> String { name.padding(toLength: 18, withPad: " ", startingAt: 0) }
}
