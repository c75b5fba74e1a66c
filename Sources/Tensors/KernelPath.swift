import Foundation
import Support

/// The widest vectors the numeric kernels may use on this CPU.
///
/// `Tensors` is compiled for Haswell (AVX2 + FMA, `-target-cpu haswell` in Package.swift) and
/// `coverlens` refuses CPUs without it before any kernel runs; most of CoverLens's own kernels
/// (Winograd transforms, BatchNorm) are that one AVX2 build on both paths. The depthwise
/// convolution has an AVX-512 kernel too (`cl_depthwise_forward16`, sixteen channels to a vector,
/// the same bits as the AVX2 one), taken on the avx512 path. The path also caps the GEMM
/// library's kernels: oneDNN (`GEMMLibrary`) picks AVX-512 kernels on a CPU with AVX-512 (issue 17
/// measured its `dnnl_sgemm` at about 2× OpenBLAS's AVX2 kernels on a Zen 5, where AVX-512 runs
/// at full width), and on the avx2 path it is held to AVX2 (`OneDNN.instructionSetCap`, once per
/// process, before its first kernel).
///
/// The run takes `detected` unless it names a path: `COVERLENS_KERNELS=avx2` forces the AVX2 path
/// on an AVX-512 machine, so the tests can run it there.
public enum KernelPath: String, Sendable, Equatable, CaseIterable {
    /// AVX2 and FMA at 256-bit width.
    case avx2
    /// AVX-512 (F, BW, VL, DQ: oneDNN's `avx512_core`) for oneDNN's GEMMs.
    case avx512

    /// What the AVX-512 path needs, as /proc/cpuinfo names it.
    static let avx512Flags = ["avx512f", "avx512bw", "avx512vl", "avx512dq"]

    /// The environment variable that overrides the choice: `avx2` or `avx512`.
    public static let environmentVariable = "COVERLENS_KERNELS"

    /// The path for CPU `flags`, or the one `requested` names when the CPU has it; `problem` says
    /// in one sentence why a request was not followed.
    public static func choose(flags: Set<String>, requested: String?) -> (path: KernelPath, problem: String?) {
        let best: KernelPath = avx512Flags.allSatisfy(flags.contains) ? .avx512 : .avx2
        guard let requested, !requested.isEmpty else { return (best, nil) }
        guard let path = KernelPath(rawValue: requested.lowercased()) else {
            return (best, "\(environmentVariable)=\(requested) is not a kernel path (avx2 or avx512); using \(best.rawValue)")
        }
        if path == .avx512 && best != .avx512 {
            let lacking = avx512Flags.filter { !flags.contains($0) }
            return (best, "\(environmentVariable)=avx512, but this CPU lacks \(lacking.joined(separator: ", ")); using avx2")
        }
        return (path, nil)
    }

    /// Whether this CPU has everything the avx512 path needs, whatever `COVERLENS_KERNELS` says: an
    /// AVX-512 kernel runs only where this holds, so a context made for the avx512 path elsewhere
    /// (a test's) falls back to the AVX2 kernels instead of stopping on an illegal instruction.
    public static let cpuHasAVX512 = avx512Flags.allSatisfy((CPUFlags.current ?? []).contains)

    /// This process's choice: from the CPU's flags and `COVERLENS_KERNELS`, made once.
    public static let detection = choose(flags: CPUFlags.current ?? [],
                                         requested: ProcessInfo.processInfo.environment[environmentVariable])

    /// The path every `ComputeContext` takes unless told otherwise.
    public static var detected: KernelPath { detection.path }
}
