// Baseline for `sum_reduce`: y[r] = sum_d x[r, d] over a row-major [R, D] tensor.
// Each row is accumulated in double (as the reference does) and rounded once to float.
#include <stdint.h>

int sum_reduce(const float* x, float* y, int64_t R, int64_t D) {
    for (int64_t r = 0; r < R; ++r) {
        const float* xr = x + r * D;
        double acc = 0.0;
        for (int64_t d = 0; d < D; ++d) {
            acc += xr[d];
        }
        y[r] = (float)acc;
    }
    return 0;
}
