import CDNNL

/// Matrix products through oneDNN's `dnnl_sgemm`: CoverLens's default GEMM (see `GEMMLibrary`).
///
/// Debian's oneDNN runs on OpenMP, whose thread count belongs to the calling thread. CoverLens calls
/// GEMMs from its own workers (one image or tile each), so every call first sets the calling
/// thread's count to the context's `gemmThreads` (one by default): no OpenMP team spins up beside
/// the workers, the way OpenBLAS is kept single-threaded (`BLAS`).
enum OneDNN {
    /// C ← alpha · op(A) · op(B) + beta · C, row-major (dnnl_sgemm's convention), m, n, k > 0.
    @inline(__always)
    static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        _ = instructionSetCap
        omp_set_num_threads(Int32(threads))
        let status = dnnl_sgemm(transposeA ? transposed : plain, transposeB ? transposed : plain,
                                dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k), alpha,
                                a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        // Only invalid arguments fail, which the callers' shape checks rule out.
        precondition(status == dnnl_success, "dnnl_sgemm failed (status \(status.rawValue)) for \(m)×\(n)×\(k)")
    }

    private static let plain = CChar(UInt8(ascii: "N")), transposed = CChar(UInt8(ascii: "T"))

    /// On the avx2 path oneDNN may not use AVX-512 even where the CPU has it (`COVERLENS_KERNELS=avx2`).
    /// oneDNN reads the cap before it generates its first kernel, so it is set once per process, on
    /// the first call.
    static let instructionSetCap: Void = {
        if KernelPath.detected == .avx2 { _ = dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2) }
    }()

    /// "oneDNN 2.6.3, avx512_core" : the version and the instruction set its kernels use here.
    static var description: String {
        _ = instructionSetCap
        let v = dnnl_version().pointee
        return "oneDNN \(v.major).\(v.minor).\(v.patch) (\(isaName(dnnl_get_effective_cpu_isa())) kernels)"
    }

    private static func isaName(_ isa: dnnl_cpu_isa_t) -> String {
        switch isa {
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        default: return "isa 0x" + String(isa.rawValue, radix: 16)
        }
    }
}
