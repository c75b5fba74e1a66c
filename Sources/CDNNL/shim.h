// oneDNN's C API (Debian's libdnnl-dev; it ships no pkg-config file).
#include <oneapi/dnnl/dnnl.h>

// Debian builds oneDNN on GNU OpenMP (libgomp). Each thread has its own OpenMP thread count, so a
// CoverLens worker sets it before each oneDNN call; declared here because Swift's clang does not see
// GCC's omp.h.
void omp_set_num_threads(int threads);
int omp_get_max_threads(void);
