import Foundation

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

    /// The required flags missing from the first `flags` line of a /proc/cpuinfo text, or [] when
    /// there is no such line (not x86 Linux: nothing to say).
    static func missing(inCPUInfo text: String) -> [String] {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        return required.filter { !flags.contains($0) }
    }

    /// Prints one sentence and exits with status 1 when this CPU lacks what the kernels need.
    static func exitIfUnsupported() {
        #if arch(x86_64)
        let path = ProcessInfo.processInfo.environment["COVERLENS_CPUINFO"] ?? "/proc/cpuinfo"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let lacking = missing(inCPUInfo: text)
        guard !lacking.isEmpty else { return }
        FileHandle.standardError.write(Data("""
            error: this CoverLens build needs an x86-64 CPU with AVX2 and FMA (Intel Haswell, AMD \
            Excavator or newer), and this one lacks \(lacking.joined(separator: ", ")); run it on a newer \
            machine, or remove "-target-cpu haswell" from Package.swift and rebuild (slower kernels)

            """.utf8))
        exit(1)
        #endif
    }
}
