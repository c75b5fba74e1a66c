import Foundation

/// The CPU's feature flags as the Linux kernel lists them (`/proc/cpuinfo`, or the file in
/// `COVERLENS_CPUINFO`, which the tests use to play another CPU).
///
/// In Support, which is compiled for baseline x86-64: the executable reads them before any kernel
/// built for Haswell runs (`ProcessorSupport`), and `KernelPath` chooses the kernels from them.
public enum CPUFlags {
    /// The flags of the first `flags` line of a /proc/cpuinfo text, or nil when there is no such
    /// line (not x86 Linux).
    public static func parse(cpuInfo text: String) -> Set<String>? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// This machine's flags, or nil when they cannot be read.
    public static let current: Set<String>? = {
        let path = ProcessInfo.processInfo.environment["COVERLENS_CPUINFO"] ?? "/proc/cpuinfo"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(cpuInfo: text)
    }()
}
