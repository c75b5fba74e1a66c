import Foundation
import Testing
@testable import Tensors

/// The AVX-512 kernels where the CPU has no AVX-512: `scripts/check-avx512-kernels.sh` builds the C
/// checks in `Tests/EmulatedKernels` (sixteen-channel depthwise kernels against the eight-channel
/// ones, bit for bit) and runs them on an emulated AVX-512 CPU (Bochs, fetched from Debian's mirror
/// by `scripts/setup.sh`; about two minutes of one core). On a CPU with AVX-512,
/// `DepthwiseKernelTests` compares the two kernel paths through `Tensors` instead.
@Suite struct EmulatedAVX512Tests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.enabled(if: !KernelPath.cpuHasAVX512, "this CPU has AVX-512: DepthwiseKernelTests checks the kernels on it"),
          .timeLimit(.minutes(30)))
    func avx512KernelsGiveTheAVX2KernelsBitsInAnEmulatedCPU() throws {
        let run = try LoggedRun("/bin/bash", [Self.repository.appendingPathComponent("scripts/check-avx512-kernels.sh").path],
                                directory: Self.repository)
        #expect(run.termination == .success, "scripts/check-avx512-kernels.sh ended with \(run.termination):\n\(run.output)")
        #expect(run.output.contains("16 of 16 geometries the same bits: PASS"), "\(run.output)")
    }
}
