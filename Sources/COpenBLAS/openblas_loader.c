// OpenBLAS opened with dlopen on first use (the header says why).

#include "copenblas.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// CBLAS's enum values (cblas.h): row-major 101, no transpose 111, transpose 112.
enum { ROW_MAJOR = 101, NO_TRANSPOSE = 111, TRANSPOSE = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                         float, float *, int);

static struct {
    sgemm_fn sgemm;
    void (*set_num_threads)(int);
    char *(*get_config)(void);
    char *(*get_corename)(void);
} blas;

static const char *problem = "OpenBLAS was not opened";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *symbol(void *library, const char *name) {
    void *f = dlsym(library, name);
    if (f == NULL && problem == NULL) problem = dlerror();
    return f;
}

static void open_library(void) {
    void *library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        problem = dlerror();
        return;
    }
    problem = NULL;
    blas.sgemm = (sgemm_fn)symbol(library, "cblas_sgemm");
    blas.set_num_threads = (void (*)(int))symbol(library, "openblas_set_num_threads");
    blas.get_config = (char *(*)(void))symbol(library, "openblas_get_config");
    blas.get_corename = (char *(*)(void))symbol(library, "openblas_get_corename");
}

const char *cl_openblas_open(void) {
    pthread_once(&once, open_library);
    return problem;
}

void cl_openblas_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                       const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    blas.sgemm(ROW_MAJOR, transpose_a ? TRANSPOSE : NO_TRANSPOSE, transpose_b ? TRANSPOSE : NO_TRANSPOSE,
               m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void cl_openblas_set_num_threads(int threads) { blas.set_num_threads(threads); }
const char *cl_openblas_get_config(void) { return blas.get_config(); }
const char *cl_openblas_get_corename(void) { return blas.get_corename(); }
