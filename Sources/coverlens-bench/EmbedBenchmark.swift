import CoverAnalysis
import Foundation
import Imaging
import Networks
import Support
import Tensors

/// `coverlens embed`'s cost taken apart (issue 17): what one cover costs before the network
/// (decode, PIL-exact resize and normalisation, colour statistics, thumbnail and copy descriptor, on one thread), the
/// network alone on already-decoded covers at the embed batch size, and the whole scan
/// (`CoverScan.embeddings` without a store, as `embed --no-cache` runs it: read, hash, decode,
/// resize, network; no colour statistics, thumbnail or copy descriptor) and the scan with those
/// measures (`CoverScan.scan`, what `embed` with a cache and `score` compute), the three
/// alternating in rounds so that all see the same load on a shared machine.
///
/// With `draft`, each round also runs the embeddings scan with the opt-in JPEG draft decode
/// (``Preprocessing/jpegDraft``), and the per-cover costs are printed for it too.
///
/// The network-only pass does what the scan does with a batch (`featureMaps` and the embedding's
/// pooling), so the ratio of the two rates is what reading and decoding cost the scan.
///
/// Each round also prints the ceiling of that ratio when the network keeps every core busy (its
/// workers are the machine's cores): the preparation's CPU time then adds to the network's, so the
/// scan reaches at most `network / (network + preparation)` of the network-only rate, CPU time per
/// cover on both sides, whatever the overlap.
enum EmbedBenchmark {
    /// `batch` nil: the batch size `coverlens embed` uses.
    static func run(folder: URL, models: [URL], rounds: Int, batch: Int?, draft: Bool, compute: ComputeContext) throws {
        let batch = batch ?? CoverScan.defaultBatchSize
        let files = try ImageFolder(folder).files
        print("\(files.count) covers in \(folder.path), batch \(batch), \(compute.workers) workers, kernels \(compute.kernels.rawValue)")
        for url in models {
            let model = try CoverModel.load(contentsOf: url)
            print("model \(url.lastPathComponent): \(model.architecture), preprocessing \(model.preprocessing.summary)")
            let (inputs, preparation) = try preprocessCost(files, model: model)
            let drafted = draft ? try CoverModel.load(contentsOf: url, overrides: PreprocessingOverrides(jpegDraft: true)) : nil
            var draftPreparation = 0.0
            if let drafted {
                print("with --jpeg-draft on: preprocessing \(drafted.preprocessing.summary)")
                draftPreparation = try preprocessCost(files, model: drafted).preparation
            }
            /// The ratio's ceiling with every core busy, from this round's network CPU time per cover.
            func ceiling(networkPerCPU: Double, preparation: Double) -> Double {
                let networkSeconds = 1 / networkPerCPU
                return 100 * networkSeconds / (networkSeconds + preparation)
            }
            func makeScan(_ model: CoverModel) -> CoverScan {
                var scan = CoverScan(model: model, store: nil)
                scan.batchSize = batch
                scan.compute = compute
                return scan
            }
            /// `embed --no-cache`'s path: the embeddings alone.
            func timedEmbeddings(_ scan: CoverScan) throws -> (wall: Double, perCPU: Double) {
                try timed(count: files.count) { () throws in
                    let result = try scan.embeddings(files, role: folder.lastPathComponent)
                    precondition(result.skipped.isEmpty, "skipped: \(result.skipped.map(\.reason))")
                }
            }
            let scan = makeScan(model), draftScan = drafted.map(makeScan)
            var modelRates: [Double] = [], scanRates: [Double] = [], measuredRates: [Double] = [], draftRates: [Double] = []
            var ceilings: [Double] = [], draftCeilings: [Double] = []
            for round in 1...max(1, rounds) {
                let network = timed(count: inputs.count) { networkOnly(inputs, model: model, batch: batch, compute: compute) }
                let embedded = try timedEmbeddings(scan)
                // What `embed` with a cache and `score` compute: the measures too.
                let measured = try timed(count: files.count) { () throws in
                    let result = try scan.scan(files, role: folder.lastPathComponent)
                    precondition(result.skipped.isEmpty, "skipped: \(result.skipped.map(\.reason))")
                }
                modelRates.append(network.wall)
                scanRates.append(embedded.wall)
                measuredRates.append(measured.wall)
                ceilings.append(ceiling(networkPerCPU: network.perCPU, preparation: preparation))
                print(String(format: "round %d (load %@): network only %6.1f img/s wall, %5.1f img per CPU-second | embeddings %6.1f img/s wall, %5.1f per CPU-second (%3.0f%%, %3.0f%%; ceiling %3.0f%%) | with measures %6.1f img/s wall, %5.1f per CPU-second (%3.0f%%, %3.0f%%)",
                             round, loadAverage() as NSString, network.wall, network.perCPU,
                             embedded.wall, embedded.perCPU, 100 * embedded.wall / network.wall, 100 * embedded.perCPU / network.perCPU,
                             ceilings.last!,
                             measured.wall, measured.perCPU, 100 * measured.wall / network.wall, 100 * measured.perCPU / network.perCPU))
                if let draftScan {
                    let embedded = try timedEmbeddings(draftScan)
                    draftRates.append(embedded.wall)
                    draftCeilings.append(ceiling(networkPerCPU: network.perCPU, preparation: draftPreparation))
                    print(String(format: "round %d, JPEG draft: embeddings %6.1f img/s wall, %5.1f per CPU-second (%3.0f%%, %3.0f%% of this round's network only; ceiling %3.0f%%)",
                                 round, embedded.wall, embedded.perCPU, 100 * embedded.wall / network.wall, 100 * embedded.perCPU / network.perCPU,
                                 draftCeilings.last!))
                }
            }
            print(String(format: "median: network only %.1f img/s, embeddings %.1f img/s wall (%.0f%%; ceiling with every core busy %.0f%%), with measures %.1f img/s wall (%.0f%%)",
                         median(modelRates), median(scanRates), 100 * median(scanRates) / median(modelRates), median(ceilings),
                         median(measuredRates), 100 * median(measuredRates) / median(modelRates)))
            if !draftRates.isEmpty {
                print(String(format: "median, JPEG draft: embeddings %.1f img/s wall (%.0f%% of network only; ceiling %.0f%%)",
                             median(draftRates), 100 * median(draftRates) / median(modelRates), median(draftCeilings)))
            }
        }
    }

    /// Decodes and preprocesses every cover on this thread, printing the CPU milliseconds per cover of
    /// each step, and returns the network inputs `[1, 3, S, S]` and the CPU seconds per cover of
    /// what `embed --no-cache` does before the network (read, SHA-256, decode, resize, normalise).
    static func preprocessCost(_ files: [ImageFolder.Entry], model: CoverModel) throws -> (inputs: [Tensor], preparation: Double) {
        var read = 0.0, decode = 0.0, resize = 0.0, statistics = 0.0, thumbnail = 0.0, descriptor = 0.0
        var inputs: [Tensor] = []
        let limits = model.preprocessing.decodeLimits(.default)
        let s = model.preprocessing.size
        for file in files {
            var t = cpuTime()
            func lap(_ total: inout Double) {
                let now = cpuTime()
                total += now - t
                t = now
            }
            let bytes = try ImageDecoder.readBytes(path: file.url.path)
            _ = SHA256.hex(bytes)
            lap(&read)
            let image = try ImageDecoder.decode(bytes: bytes, name: file.relativePath, limits: limits).image
            lap(&decode)
            inputs.append(model.preprocessing.tensor(for: image).reshaped([1, 3, s, s]))
            lap(&resize)
            _ = ColourStatistics(measuring: image)
            lap(&statistics)
            _ = resizeBilinear(image, width: CoverScan.thumbnailSize.width, height: CoverScan.thumbnailSize.height)
            lap(&thumbnail)
            _ = BandDescriptor.describe(image)
            lap(&descriptor)
        }
        let n = Double(files.count) / 1000
        let measures = statistics + thumbnail + descriptor
        print(String(format: "per cover, CPU ms on one thread: read + SHA-256 %.2f, decode %.2f, resize + normalise %.2f; measures (not made by embed without a cache) %.2f: colour statistics %.2f, thumbnail %.2f, copy descriptor %.2f; total %.2f",
                     read / n, decode / n, resize / n, measures / n, statistics / n, thumbnail / n, descriptor / n,
                     (read + decode + resize + measures) / n))
        return (inputs, (read + decode + resize) / Double(files.count))
    }

    /// What `CoverScan` does with each batch once it is decoded.
    static func networkOnly(_ inputs: [Tensor], model: CoverModel, batch: Int, compute: ComputeContext) {
        for start in stride(from: 0, to: inputs.count, by: batch) {
            let x = Tensor.concatenate(batch: Array(inputs[start..<min(start + batch, inputs.count)]))
            _ = GlobalAveragePool().forward(model.backbone.featureMaps(x, compute: compute))
        }
    }

    static func timed(count: Int, _ body: () throws -> Void) rethrows -> (wall: Double, perCPU: Double) {
        let (t0, c0) = (now(), cpuTime())
        try body()
        return (Double(count) / (now() - t0), Double(count) / (cpuTime() - c0))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The 1-, 5- and 15-minute load averages, as `uptime` prints them.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
