import CPeakFLOPS
import Foundation
import Support
import Tensors

/// What one core of this machine can do, measured: the fused multiply-add ceiling with 256-bit and
/// (on AVX-512 CPUs) 512-bit vectors, and the GEMM library's rate on a large square product. Every
/// GFLOP figure the benchmark prints is set against these, in CPU time so that other processes on a
/// shared machine do not lower them: the measuring thread's own CPU time (`threadCPUTime`), because
/// the process's would also count the threads OpenBLAS starts with the process, which spin for a
/// while after it loads (on a 2-core Zen 2 that halved the FMA figure: 50–57 instead of 94–98).
struct MachinePeak {
    /// FMA GFLOP per CPU-second with 256-bit vectors.
    let fma256: Double
    /// The same with 512-bit vectors, nil when the CPU lacks AVX-512F.
    let fma512: Double?
    /// sgemm 1024³ GFLOP per CPU-second on one thread, with the context's GEMM library.
    let sgemm: Double

    static func measure(compute: ComputeContext) -> MachinePeak {
        let fma512 = (CPUFlags.current ?? []).contains("avx512f") ? fmaRate(bits: 512) : nil
        return MachinePeak(fma256: fmaRate(bits: 256), fma512: fma512, sgemm: sgemmRate(compute: compute.withWorkers(1)))
    }

    /// The ceiling of the path's vector width: 512-bit on the AVX-512 path, else 256-bit.
    func fma(for path: KernelPath) -> Double { path == .avx512 ? (fma512 ?? fma256) : fma256 }

    /// "AMD EPYC (family 25, model 17), 2 cores": the CPU every figure is measured on.
    static var cpuName: String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return "\(field("model name") ?? "unknown CPU") (family \(field("cpu family") ?? "?"), model \(field("model\t") ?? "?")), "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    func describe(_ compute: ComputeContext) -> String {
        var text = String(format: "FMA peak per core: %.1f GFLOP per CPU-second with 256-bit vectors", fma256)
        if let fma512 { text += String(format: ", %.1f with 512-bit", fma512) }
        text += String(format: " | sgemm 1024³, 1 thread: %.1f | kernels %@ (depthwise %d channels to a vector), GEMM %@ | %@",
                       sgemm, compute.kernels.rawValue as NSString, compute.depthwiseLanes, compute.gemm.description as NSString,
                       MachinePeak.cpuName as NSString)
        return text
    }

    /// Best of three rounds of `peak_fma_chains_*`, GFLOP per CPU-second.
    private static func fmaRate(bits: Int) -> Double {
        let iterations = 20_000_000
        let flops = Double(iterations) * (bits == 512 ? 384 : 192)
        var best = 0.0, sink: Float = 0
        for _ in 0..<3 {
            let t0 = threadCPUTime()
            sink += bits == 512 ? peak_fma_chains_512(iterations, sink) : peak_fma_chains_256(iterations, sink)
            best = max(best, flops / (threadCPUTime() - t0) / 1e9)
        }
        if sink.isNaN { print("") }   // keeps the chains' result alive
        return best
    }

    /// Single-thread sgemm GFLOP per CPU-second on a 1024³ product: the per-core ceiling for the GEMM layers.
    private static func sgemmRate(compute: ComputeContext) -> Double {
        let n = 1024
        let a = Tensor(shape: [n, n], repeating: 0.5), b = Tensor(shape: [n, n], repeating: 0.25)
        _ = Tensor.matmul(a, b, compute: compute)
        var best = 0.0
        for _ in 0..<5 {
            let t0 = threadCPUTime()
            _ = Tensor.matmul(a, b, compute: compute)
            best = max(best, 2.0 * Double(n * n * n) / (threadCPUTime() - t0) / 1e9)
        }
        return best
    }
}

/// CPU seconds of the calling thread alone (`CLOCK_THREAD_CPUTIME_ID`), for single-threaded probes.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
