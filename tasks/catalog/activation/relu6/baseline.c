// Baseline for `relu6`: y = min(max(x, 0), 6), elementwise. Plain single-threaded C11.
#include <math.h>
#include <stdint.h>

int relu6(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        y[i] = v <= 0.0f ? 0.0f : (v >= 6.0f ? 6.0f : v);
    }
    return 0;
}
