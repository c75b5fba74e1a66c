import Foundation
import Networks
import Support
import Tensors

/// Throughput of the two backbones at several batch sizes, and how close the arithmetic gets to the
/// machine's measured single-core sgemm rate. Besides wall-clock images/s it prints images per
/// CPU-second: on a shared machine that is the code's own speed, and times the thread count it
/// estimates the throughput on idle cores (an estimate, labelled as such). Weights come from `FormulaWeights` (speed does not
/// depend on the values), so no checkpoint file is needed.
///
/// Usage: `coverlens-bench --help` prints `usage`.

let usage = """
usage: coverlens-bench [--batches 1,8,32] [--seconds 3] [--threads N] [--model efficientnet-lite0|resnet18]
                       [--train full|full-frozen-bn|partial:N|head]   (training steps instead of inference)
                       [--similarity on]   (top-5 of 1,000 candidates against 100,000 popular 1280-d embeddings)
                       [--sweep DATA --sweep-model MODEL [--sweep-out DIR] [--budget 600] [--epochs head,partial,augmented,full]
                        [--only NAME,NAME]]   (training defaults sweep, see Benchmarks/training-sweep.sh)
                       [--layers on]   (per layer, ResNet18 or the --model given: CPU ms per image at the first batch size, 1 worker)
                       [--layers train]   (ResNet18's convolutions in training per layer and pass: wall ms per image,
                        at the first batch size, with --threads workers)
                       [--kernels avx2|avx512]   (the kernel path; default: the CPU's, or COVERLENS_KERNELS; avx512 takes
                        the 16-channel depthwise kernel where the CPU has AVX-512; it caps oneDNN's instruction set
                        only through COVERLENS_KERNELS, once per process)
                       [--gemm-library onednn|openblas]   (default oneDNN, or COVERLENS_GEMM)
                       [--gemm on]   (OpenBLAS against oneDNN on the convolution GEMM shapes, 1 and 2 threads)
                       [--copies SET [--copies-edited 100]]   (edited-copy benchmark of the
                        near-duplicate detector on a `coverlens synth` set, see Benchmarks/copy-detection.sh)
                       [--embed DIR --embed-models FILE,FILE [--rounds 3] [--batches 16]]   (`coverlens embed`'s
                        decode cost, network-only and whole-scan rates, alternating; see Benchmarks/embed-overlap.sh;
                        [--jpeg-draft on] adds the scan with the opt-in JPEG draft decode to each round)
                       [--loops on]   (what a parallel loop of two halves costs: parallelFor's WorkerTeam,
                        DispatchQueue.concurrentPerform and one thread)
"""

struct Options {
    var batches = [1, 8, 32]
    /// Whether `--batches` was given: `--embed` then runs at its first size, else at 16 like `coverlens embed`.
    var batchesGiven = false
    var seconds = 3.0
    var threads = Parallelism.available
    var models = ["efficientnet-lite0", "resnet18"]
    var training: FineTuneMode?
    var similarity = false
    var sweep: String?
    var sweepModel = "Models/efficientnet-lite0.safetensors"
    var sweepOutput = "Output/sweep"
    var budget = 600.0
    var sweepEpochs = [40, 10, 4, 2]
    var only: Set<String>?
    var layers = false
    var trainingLayers = false
    var copies: String?
    var copiesEdited = 100
    var kernels = KernelPath.detected
    var gemmLibrary = GEMMLibrary.detected
    var gemm = false
    var embed: String?
    var embedModels = ["Models/efficientnet-lite0.safetensors"]
    var rounds = 3
    var jpegDraft = false
    var loops = false

    init(_ arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let flag = it.next() {
            if flag == "--help" || flag == "-h" { print(usage); exit(0) }
            let value = it.next() ?? ""
            switch flag {
            case "--batches": batches = value.split(separator: ",").compactMap { Int($0) }; batchesGiven = true
            case "--seconds": seconds = Double(value) ?? seconds
            case "--threads": threads = Int(value) ?? threads
            case "--model": models = [value]
            case "--similarity": similarity = value != "off"
            case "--sweep": sweep = value
            case "--sweep-model": sweepModel = value
            case "--sweep-out": sweepOutput = value
            case "--budget": budget = Double(value) ?? budget
            case "--epochs": sweepEpochs = value.split(separator: ",").compactMap { Int($0) }
            case "--only": only = Set(value.split(separator: ",").map(String.init))
            case "--layers": layers = value == "on"; trainingLayers = value == "train"
            case "--copies": copies = value
            case "--copies-edited": copiesEdited = Int(value) ?? copiesEdited
            case "--kernels":
                guard let path = KernelPath(rawValue: value) else { print("unknown kernel path \(value) (avx2, avx512)"); exit(2) }
                kernels = path
            case "--gemm": gemm = value != "off"
            case "--gemm-library":
                guard let library = GEMMLibrary(name: value) else {
                    print("unknown GEMM library \(value) (onednn, openblas)"); exit(2)
                }
                gemmLibrary = library
            case "--embed": embed = value
            case "--embed-models": embedModels = value.split(separator: ",").map(String.init)
            case "--rounds": rounds = Int(value) ?? rounds
            case "--jpeg-draft": jpegDraft = value == "on"
            case "--loops": loops = value == "on"
            case "--train":
                guard let mode = TrainingBenchmark.mode(value) else { print("unknown training mode \(value)"); exit(2) }
                training = mode
            default: print("unknown option \(flag)\n\n\(usage)"); exit(2)
            }
        }
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds this process has used (all threads): on a shared machine, images per CPU-second
/// shows the code's efficiency even when other processes take cores away.
func cpuTime() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// GFLOP counts the direct convolution's multiply-adds (the model's nominal GMAC), so Winograd layers,
/// which do fewer, can take the figure past 100% of the sgemm rate, and set against the FMA peak of
/// the path's vector width.
func measure(_ name: String, gmacPerImage: Double, batches: [Int], seconds: Double, threads: Int,
             peak: MachinePeak, fma: Double, run: (Tensor) -> Tensor) {
    for batch in batches {
        let x = Tensor(shape: [batch, 3, 224, 224], repeating: 0.1)
        _ = run(x)   // warm-up: page in weights and workspace
        var images = 0
        let (t0, c0) = (now(), cpuTime())
        repeat {
            _ = run(x)
            images += batch
        } while now() - t0 < seconds
        let rate = Double(images) / (now() - t0)
        let perCPUSecond = Double(images) / (cpuTime() - c0)
        let gflops = perCPUSecond * gmacPerImage * 2
        print(String(format: "%-18@ batch %3d: %6.1f img/s wall | %5.1f img per CPU-second = %5.1f GFLOP per CPU-second (nominal FLOPs; %3.0f%% of the %.0f FMA peak, %3.0f%% of sgemm's %.0f) | %d idle cores: ~%.0f img/s",
                     name as NSString, batch, rate, perCPUSecond, gflops, 100 * gflops / fma, fma,
                     100 * gflops / peak.sgemm, peak.sgemm, threads, perCPUSecond * Double(threads)))
    }
}

let options = Options(CommandLine.arguments)
for problem in [KernelPath.detection.problem, GEMMLibrary.detection.problem].compactMap({ $0 }) { print("warning: \(problem)") }
let compute = ComputeContext(workers: options.threads, kernels: options.kernels, gemm: options.gemmLibrary)
compute.applyGEMMThreads()
if options.loops {
    LoopBenchmark.run()
    exit(0)
}
if options.similarity {
    SimilarityBenchmark.run(popular: 100_000, candidates: 1000, dimension: 1280, k: 5)
    exit(0)
}
if let data = options.sweep {
    let e = options.sweepEpochs + [0, 0, 0, 0]
    try TrainingSweep.run(data: URL(fileURLWithPath: data), model: URL(fileURLWithPath: options.sweepModel),
                          output: URL(fileURLWithPath: options.sweepOutput), budget: options.budget, compute: compute,
                          runs: TrainingSweep.runs(headEpochs: e[0], partialEpochs: e[1], augmentedEpochs: e[2], fullEpochs: e[3]),
                          only: options.only)
    exit(0)
}
if let set = options.copies {
    try CopyBenchmark.run(set: URL(fileURLWithPath: set), edited: options.copiesEdited, compute: compute)
    exit(0)
}
if let folder = options.embed {
    try EmbedBenchmark.run(folder: URL(fileURLWithPath: folder), models: options.embedModels.map { URL(fileURLWithPath: $0) },
                           rounds: options.rounds, batch: options.batchesGiven ? options.batches.first : nil,
                           draft: options.jpegDraft, compute: compute)
    exit(0)
}
if options.trainingLayers {
    try TrainingLayerBenchmark.run(batch: options.batches.first ?? 32, seconds: options.seconds, compute: compute)
    exit(0)
}
if options.layers {
    try LayerBenchmark.run(model: options.models.count == 1 ? options.models[0] : "resnet18",
                           batch: options.batches.first ?? 4, seconds: options.seconds)
    exit(0)
}
let peak = MachinePeak.measure(compute: compute)
print(peak.describe(compute))
if options.gemm {
    GemmBenchmark.run(seconds: options.seconds)
    exit(0)
}
print("\(options.threads) worker threads, \(compute.gemmThreads) GEMM thread per worker")
let fma = peak.fma(for: compute.kernels)
for model in options.models {
    if let mode = options.training {
        switch model {
        case "efficientnet-lite0":
            try TrainingBenchmark.run(EfficientNetLite0.self, name: model, architecture: .efficientNetLite0, mode: mode, batches: options.batches,
                                      seconds: options.seconds, dropout: 0.2, compute: compute)
        case "resnet18":
            try TrainingBenchmark.run(ResNet18.self, name: model, architecture: .resnet18, mode: mode, batches: options.batches,
                                      seconds: options.seconds, dropout: 0, compute: compute)
        default:
            print("unknown model \(model)")
            exit(2)
        }
        continue
    }
    switch model {
    case "efficientnet-lite0":
        let net = try EfficientNetLite0(stateDict: FormulaWeights.stateDict(EfficientNetLite0.parameterShapes()))
        measure(model, gmacPerImage: 0.385, batches: options.batches, seconds: options.seconds,
                threads: options.threads, peak: peak, fma: fma) { net.embedding($0, compute: compute) }
    case "resnet18":
        let net = try ResNet18(stateDict: FormulaWeights.stateDict(ResNet18.parameterShapes()))
        measure(model, gmacPerImage: 1.814, batches: options.batches, seconds: options.seconds,
                threads: options.threads, peak: peak, fma: fma) { net.embedding($0, compute: compute) }
    default:
        print("unknown model \(model)")
        exit(2)
    }
}
