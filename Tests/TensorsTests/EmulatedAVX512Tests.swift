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
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-avx512-check-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repository.appendingPathComponent("scripts/check-avx512-kernels.sh").path]
        process.currentDirectoryURL = Self.repository
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "scripts/check-avx512-kernels.sh exited with \(process.terminationStatus):\n\(output)")
        #expect(output.contains("16 of 16 geometries the same bits: PASS"), "\(output)")
    }
}
