// Baseline for `std_softmax_lastdim`: numerically stable softmax over the last axis of a
// row-major [R, D] tensor. One row at a time, three passes:
//   1. m = max_d x[r, d]
//   2. e_d = expf(x[r, d] - m), stored in y; the denominator is accumulated in double
//   3. y[r, d] = e_d / sum
// Subtracting the row maximum keeps expf from overflowing; -inf inputs give exactly 0.
#include <math.h>
#include <stdint.h>

int std_softmax_lastdim(const float* x, float* y, int64_t R, int64_t D) {
    for (int64_t r = 0; r < R; ++r) {
        const float* xr = x + r * D;
        float* yr = y + r * D;

        float m = -INFINITY;
        for (int64_t d = 0; d < D; ++d) {
            if (xr[d] > m) m = xr[d];
        }

        double sum = 0.0;
        for (int64_t d = 0; d < D; ++d) {
            const float e = expf(xr[d] - m);
            yr[d] = e;
            sum += e;
        }

        const float inv = (float)(1.0 / sum);
        for (int64_t d = 0; d < D; ++d) {
            yr[d] *= inv;
        }
    }
    return 0;
}
