// Baseline for `hardswish`: y = x * min(max(x + 3, 0), 6) / 6, elementwise.
// Plain single-threaded C11.
#include <math.h>
#include <stdint.h>

int hardswish(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        const float r = fminf(fmaxf(v + 3.0f, 0.0f), 6.0f);
        y[i] = v * r / 6.0f;
    }
    return 0;
}
