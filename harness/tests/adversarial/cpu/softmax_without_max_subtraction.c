// expected: mismatch precision_band
// task: std_softmax_lastdim
// attack: skips the max subtraction: exact enough at the visible input scale, overflows to inf/NaN on large-magnitude inputs
#include <math.h>
#include <stdint.h>

int std_softmax_lastdim(const float* x, float* y, int64_t R, int64_t D) {
    for (int64_t r = 0; r < R; ++r) {
        const float* xr = x + r * D;
        float* yr = y + r * D;
        double sum = 0.0;
        for (int64_t d = 0; d < D; ++d) {
            yr[d] = expf(xr[d]);
            sum += yr[d];
        }
        for (int64_t d = 0; d < D; ++d) yr[d] = (float)(yr[d] / sum);
    }
    return 0;
}
