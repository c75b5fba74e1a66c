import Support

/// C ← alpha · op(A) · op(B) + beta · C, row-major, on raw buffers, by the GEMM library of
/// `compute.gemm` (oneDNN or OpenBLAS) with `compute.gemmThreads` threads.
///
/// - A: `[m, k]` (or `[k, m]` when `transposeA`), leading dimension `lda`.
/// - B: `[k, n]` (or `[n, k]` when `transposeB`), leading dimension `ldb`.
/// - C: `[m, n]`, leading dimension `ldc`.
@inline(__always)
public func sgemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    compute: ComputeContext
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // BLAS would leave C untouched for k = 0; the mathematical answer is beta·C.
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
        return
    }
    if compute.gemm == .oneDNN {
        OneDNN.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: compute.gemmThreads)
        return
    }
    OpenBLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}

extension Tensor {
    /// Matrix product of two rank-2 tensors: `[m, k] · [k, n] → [m, n]`, with optional transposes
    /// (`transposeB: true` computes `A · Bᵀ` for `B: [n, k]`, the Linear layer's case). The small
    /// products of the heads and similarity matrices use the process's default context.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                              compute: ComputeContext = .default) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(ka == kb, "matmul inner dimensions differ: \(a.shape) · \(b.shape)")
        var c = Tensor(shape: [m, n])
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
                          a: ap.baseAddress!, lda: a.shape[1],
                          b: bp.baseAddress!, ldb: b.shape[1],
                          c: cp.baseAddress!, ldc: n, compute: compute)
                }
            }
        }
        return c
    }
}
