import Foundation
import Support

/// How a run computes: how many threads CoverLens's own loops use, how many the GEMM library uses
/// inside one GEMM, which library multiplies the matrices, and which kernel path runs on this CPU.
///
/// A run (a command, a benchmark, a test) makes one and passes it down to every forward and backward
/// pass and kernel that spreads work over cores, instead of a process-wide setting that each command
/// changed and library code read. Two runs in one process can use different contexts.
///
/// ```swift
/// let compute = ComputeContext(workers: 2)
/// compute.applyGEMMThreads()                        // once, before the first GEMM
/// let e = backbone.embedding(batch, compute: compute)
/// ```
public struct ComputeContext: Sendable, Equatable {
    /// Threads for CoverLens's own parallel loops (`parallelFor`): images of a batch, output tiles.
    public var workers: Int
    /// Threads the GEMM library may use inside one `sgemm`. One by default: OpenBLAS busy-waits its
    /// own threads, which collapses beside CoverLens's workers (see `BLAS`), and oneDNN's OpenMP
    /// threads would do the same.
    public var gemmThreads: Int
    /// The kernel path for this CPU (the widest vectors the kernels use).
    public var kernels: KernelPath
    /// The library behind `sgemm`; a test names one to run both on one machine.
    public var gemm: GEMMLibrary

    public init(workers: Int = Parallelism.available, gemmThreads: Int = 1, kernels: KernelPath = .detected,
                gemm: GEMMLibrary = .detected) {
        self.workers = max(1, workers)
        self.gemmThreads = max(1, gemmThreads)
        self.kernels = kernels
        self.gemm = gemm
    }

    /// Every core (or `COVERLENS_THREADS`), one GEMM thread: what a run uses unless told otherwise.
    public static let `default` = ComputeContext()

    /// The same context with `workers` loop threads: a network running on one image inside a
    /// parallel loop over images uses `withWorkers(1)`.
    public func withWorkers(_ workers: Int) -> ComputeContext {
        var copy = self
        copy.workers = max(1, workers)
        return copy
    }

    /// Channels per vector in the depthwise convolution's C kernel: 16 on the avx512 path of a CPU
    /// with AVX-512 (`cl_depthwise_forward16`), else 8 (for channel counts that are multiples of 16;
    /// other counts take blocks of 8). For a benchmark to say which kernel ran.
    public var depthwiseLanes: Int { kernels == .avx512 && KernelPath.cpuHasAVX512 ? 16 : 8 }

    /// Sets OpenBLAS's thread count to `gemmThreads`. OpenBLAS keeps one count per process, so the
    /// run that makes the context applies it once before its first GEMM; library code never does.
    /// (oneDNN's count is set per call, from the context, see `OneDNN`.)
    public func applyGEMMThreads() {
        BLAS.threads = gemmThreads
    }
}
