import COpenBLAS
import Synchronization

/// Matrix products through OpenBLAS's `cblas_sgemm`, for the runs that ask for OpenBLAS
/// (`GEMMLibrary.openBLAS`; oneDNN is the default).
///
/// OpenBLAS is opened on the first such product or question, not linked (`COpenBLAS` says why:
/// linked, its thread pool spun in every process). Its thread count is `BLAS.threads`, applied
/// when it opens and on every change after.
enum OpenBLAS {
    /// Nil once OpenBLAS is open, else why it cannot be (the dynamic loader's message).
    static let openingProblem: String? = {
        if let problem = cl_openblas_open() { return String(cString: problem) }
        isOpen.store(true, ordering: .sequentiallyConsistent)
        cl_openblas_set_num_threads(Int32(BLAS.threads))
        return nil
    }()

    /// Whether OpenBLAS has been opened (without opening it).
    static let isOpen = Atomic<Bool>(false)

    /// Stops the process with the reason when OpenBLAS cannot be opened: only a run that asked for
    /// it gets here, and `GEMMLibrary.choose` already turned an unusable request into oneDNN.
    static func requireOpen() {
        if let openingProblem {
            fatalError("OpenBLAS cannot be opened (\(openingProblem)); install Debian's libopenblas0 "
                       + "(scripts/setup.sh installs libopenblas-dev) or leave COVERLENS_GEMM unset for oneDNN")
        }
    }

    /// C ← alpha · op(A) · op(B) + beta · C, row-major, m, n, k > 0.
    @inline(__always)
    static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        requireOpen()
        cl_openblas_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                          a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// "OpenBLAS 0.3.21 (Zen kernels)": the version and the kernels it runs on this CPU.
    static var description: String {
        requireOpen()
        let config = String(cString: cl_openblas_get_config())   // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
        let version = config.split(separator: " ").prefix(2).joined(separator: " ")
        return "\(version) (\(String(cString: cl_openblas_get_corename())) kernels)"
    }
}

/// OpenBLAS's thread count, for the runs whose matrix products go to OpenBLAS (`sgemm` is the
/// one place CoverLens multiplies matrices; by default they go to oneDNN, see `GEMMLibrary`).
///
/// OpenBLAS busy-waits its own worker threads, which collapses when another thread (a JPEG decoder,
/// a second image) already holds a core. CoverLens therefore runs BLAS single-threaded by default
/// and gets its parallelism one level up (images or output channels in `parallelFor`, over
/// `ComputeContext.workers`); a run that wants more GEMM threads says so in its `ComputeContext`.
public enum BLAS {
    private static let requested = Atomic<Int>(1)

    /// Threads OpenBLAS may use inside one `sgemm` call: one until a run sets more. Setting it does
    /// not open OpenBLAS; it applies when OpenBLAS opens.
    public static var threads: Int {
        get { requested.load(ordering: .sequentiallyConsistent) }
        set {
            let threads = max(1, newValue)
            requested.store(threads, ordering: .sequentiallyConsistent)
            if OpenBLAS.isOpen.load(ordering: .sequentiallyConsistent) { cl_openblas_set_num_threads(Int32(threads)) }
        }
    }
}
