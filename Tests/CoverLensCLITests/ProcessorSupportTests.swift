import Foundation
import Testing

/// On a CPU without AVX2/FMA the kernels would die with SIGILL; coverlens must say so first, in one
/// sentence, before any command runs. The CPU is faked through `COVERLENS_CPUINFO`.
@Suite("CPU check")
final class ProcessorSupportTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-cpu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    func run(flags: String, _ arguments: [String]) throws -> CLI.Outcome {
        let cpuinfo = work.appendingPathComponent("cpuinfo-\(UUID().uuidString)")
        try "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: \(flags)\n\nprocessor\t: 1\n".write(to: cpuinfo, atomically: true, encoding: .utf8)
        return try CLI.run(arguments, in: work, environment: ["COVERLENS_CPUINFO": cpuinfo.path])
    }

    @Test("a CPU without AVX2 and FMA: exit 1 and one sentence naming what is missing, before any work")
    func oldProcessorIsRefusedWithAReason() throws {
        let sandyBridge = "fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt avx xsave"
        let outcome = try run(flags: sandyBridge, ["inspect", work.path])
        #expect(outcome.status == 1 && !outcome.signalled, "\(outcome)")
        let errors = outcome.messages.filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(outcome)")
        #expect(errors.first?.contains("AVX2 and FMA") == true, "\(outcome)")
        #expect(errors.first?.contains("avx2, fma, bmi1, bmi2, f16c, movbe, abm") == true, "\(outcome)")
    }

    @Test("a Haswell CPU, or flags that cannot be read, go ahead")
    func capableOrUnknownProcessorsRun() throws {
        let haswell = "fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt avx xsave avx2 fma bmi1 bmi2 f16c movbe abm"
        #expect(try run(flags: haswell, ["--version"]).status == 0)
        let missingFile = try CLI.run(["--version"], in: work,
                                      environment: ["COVERLENS_CPUINFO": work.appendingPathComponent("absent").path])
        #expect(missingFile.status == 0, "\(missingFile)")
    }
}
