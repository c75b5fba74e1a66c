import Foundation

/// The library that runs `sgemm`: oneDNN's `dnnl_sgemm` by default, OpenBLAS on request.
///
/// Measured side by side on the convolutions' own shapes and whole networks, oneDNN's GEMM was the
/// faster on every CPU this project has run on: on a Zen 2 (AVX2 only) 1.1–1.7× OpenBLAS 0.3.21's
/// Zen kernels on the Winograd and training shapes, ResNet18 inference 1.2–1.4× and full
/// fine-tuning 1.1× as a whole, EfficientNet-Lite0 within a few percent; on a Zen 4 ResNet18 5–14 %
/// faster and EfficientNet-Lite0 within its noise (README, "Performance"). oneDNN also picks its
/// kernels for the CPU at run time (AVX2 or AVX-512, capped by `KernelPath`), so one binary reaches
/// a full-width AVX-512 machine's peak. `COVERLENS_GEMM=openblas` runs OpenBLAS instead, and the
/// tests run both.
public enum GEMMLibrary: String, Sendable, CaseIterable {
    case openBLAS = "OpenBLAS"
    case oneDNN = "oneDNN"

    /// The environment variable that overrides the default: `onednn` or `openblas`.
    public static let environmentVariable = "COVERLENS_GEMM"

    /// The library `name` names, in any case ("onednn", "OpenBLAS"); nil for any other name.
    public init?(name: String) {
        guard let library = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = library
    }

    /// The library `requested` names (any case), else oneDNN; `problem` says in one sentence why a
    /// request was not followed.
    public static func choose(requested: String?) -> (library: GEMMLibrary, problem: String?) {
        guard let requested, !requested.isEmpty else { return (.oneDNN, nil) }
        guard let library = GEMMLibrary(name: requested) else {
            return (.oneDNN, "\(environmentVariable)=\(requested) is not a GEMM library (onednn or openblas); using oneDNN")
        }
        if library == .openBLAS, let problem = OpenBLAS.openingProblem {
            return (.oneDNN, "\(environmentVariable)=\(requested): OpenBLAS cannot be opened (\(problem)); using oneDNN")
        }
        return (library, nil)
    }

    /// This process's choice, from `COVERLENS_GEMM`, made once.
    public static let detection = choose(requested: ProcessInfo.processInfo.environment[environmentVariable])

    /// The library every `ComputeContext` takes unless told otherwise.
    public static var detected: GEMMLibrary { detection.library }

    /// The library's version and the kernels it runs on this CPU, for benchmark output:
    /// "OpenBLAS 0.3.21 (Zen kernels)", "oneDNN 2.6.3 (avx2 kernels)".
    public var description: String {
        switch self {
        case .openBLAS:
            return OpenBLAS.description
        case .oneDNN:
            return OneDNN.description
        }
    }
}
