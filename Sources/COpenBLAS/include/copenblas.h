#ifndef COVERLENS_OPENBLAS_H
#define COVERLENS_OPENBLAS_H

/// OpenBLAS, opened at run time (dlopen) instead of linked.
///
/// Why: linked, OpenBLAS starts its thread pool while the process loads, before `main`, and the
/// pool's thread spins (sched_yield) for about a tenth of a CPU-second before it sleeps — in every
/// CoverLens process, although the matrix products go to oneDNN unless a run asks for OpenBLAS
/// (`COVERLENS_GEMM=openblas`). Opened on first use, only such runs start it.
///
/// Only what `Tensors` calls is here; the functions are OpenBLAS's own (cblas_sgemm row-major,
/// openblas_set_num_threads, ...) behind pointers looked up once.

/// Opens Debian's OpenBLAS (`libopenblas.so.0`) the first time it is called, on any thread, once
/// per process. Returns NULL when every function is there, else the reason (dlerror's message),
/// the same for every later call. The other functions may be called only after it returned NULL.
const char *cl_openblas_open(void);

/// `cblas_sgemm(CblasRowMajor, ...)`: C ← alpha·op(A)·op(B) + beta·C.
void cl_openblas_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                       const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

void cl_openblas_set_num_threads(int threads);
/// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"
const char *cl_openblas_get_config(void);
/// The kernels chosen for this CPU: "Zen", "Haswell", "SkylakeX".
const char *cl_openblas_get_corename(void);

#endif
