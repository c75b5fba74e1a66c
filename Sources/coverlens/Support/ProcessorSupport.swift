import Foundation
import Support
import Tensors

/// Whether this CPU runs the numeric kernels, checked before any of them runs.
///
/// Tensors is compiled with `-target-cpu haswell` (Package.swift: AVX2 and FMA at full SIMD width),
/// so the compiler may use any instruction Haswell has. On an older x86-64 CPU the first kernel would
/// die with SIGILL ("illegal instruction") and no explanation; this check, compiled for baseline
/// x86-64 in the executable, says what is missing instead. It reads the kernel's CPU flags
/// (`/proc/cpuinfo`, or the file in `COVERLENS_CPUINFO`, which the tests use), and stays silent when
/// it cannot read them.
enum ProcessorSupport {
    /// Haswell's additions that x86-64 compilers use, as /proc/cpuinfo names them (abm = lzcnt).
    static let required = ["sse4_2", "popcnt", "avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"]

    /// The required flags missing from the CPU's flags.
    static func missing(from flags: Set<String>) -> [String] {
        required.filter { !flags.contains($0) }
    }

    /// Prints one sentence and exits with status 1 when this CPU lacks what the kernels need.
    static func exitIfUnsupported() {
        #if arch(x86_64)
        guard let flags = CPUFlags.current else { return }   // not x86 Linux: nothing to say
        let lacking = missing(from: flags)
        guard !lacking.isEmpty else { return }
        FileHandle.standardError.write(Data("""
            error: this CoverLens build needs an x86-64 CPU with AVX2 and FMA (Intel Haswell, AMD \
            Excavator or newer), and this one lacks \(lacking.joined(separator: ", ")); run it on a newer \
            machine, or remove "-target-cpu haswell" from Package.swift and rebuild (slower kernels)

            """.utf8))
        exit(1)
        #endif
    }

    /// Says on stderr when `COVERLENS_KERNELS` asks for a path this CPU cannot take or names none, or
    /// `COVERLENS_GEMM` names no GEMM library (the run goes on with the default). Called after
    /// `exitIfUnsupported`: it runs Tensors code.
    static func warnAboutKernelRequest() {
        for problem in [KernelPath.detection.problem, GEMMLibrary.detection.problem].compactMap({ $0 }) {
            FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
        }
    }
}
