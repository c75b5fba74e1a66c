import Foundation
import Testing
@testable import Tensors

/// On a CPU with AVX-512 the suite computes on the avx512 kernel path: oneDNN's AVX-512 GEMMs and the
/// sixteen-channel depthwise kernels. The AVX2 path must meet the same references there, but oneDNN
/// takes its instruction-set cap once per process (`OneDNN.instructionSetCap`), so no test in this
/// process can switch it. This test runs the numeric suites again in a child test process with
/// `COVERLENS_KERNELS=avx2`: every test of `TensorsTests` and `NetworksTests` (the kernels against
/// their definitions, both networks against PyTorch, ResNet18's training against PyTorch's), about
/// half a minute on two cores. On an AVX2-only CPU both would be the same path, so it is skipped
/// (`COVERLENS_TEST_AVX2_RERUN=1` runs it anyway, to try it there).
@Suite struct AVX2PathRerunTests {
    static let forceVariable = "COVERLENS_TEST_AVX2_RERUN"
    static let forced = ProcessInfo.processInfo.environment[forceVariable] == "1"

    /// The suites the child skips: this one (the child would start another child) and the emulated
    /// AVX-512 check, which does not depend on the path and costs a minute and a half.
    static let skipped = #"^TensorsTests\.(AVX2PathRerunTests|EmulatedAVX512Tests)"#

    @Test(.enabled(if: KernelPath.detected == .avx512 || forced, "this process runs the avx2 path already"),
          .timeLimit(.minutes(20)))
    func numericSuitesPassOnTheAVX2PathToo() throws {
        var environment = ProcessInfo.processInfo.environment
        environment[KernelPath.environmentVariable] = KernelPath.avx2.rawValue
        environment[Self.forceVariable] = nil
        // This very test bundle, filtered to the numeric targets.
        let run = try LoggedRun(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
                                ["--testing-library", "swift-testing",
                                 "--filter", #"^(TensorsTests|NetworksTests)\."#, "--skip", Self.skipped],
                                environment: environment)
        #expect(run.termination == .success,
                "the numeric suites on the AVX2 path (COVERLENS_KERNELS=avx2) failed, \(run.termination):\n\(run.tail())")
        // A filter that matched nothing would also exit 0: the run must have held the suites.
        let summary = run.output.firstMatch(of: #/Test run with (\d+) tests? in (\d+) suites? passed/#)
        let ran = summary.flatMap { Int($0.1) } ?? 0
        #expect(ran >= 100, "\(ran) tests passed on the AVX2 path, expected the numeric suites' 100 or more:\n\(run.tail())")
    }
}
