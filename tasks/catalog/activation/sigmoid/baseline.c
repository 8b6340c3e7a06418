// Baseline for `sigmoid`: y = 1 / (1 + exp(-x)), elementwise, evaluated stably.
// Plain single-threaded C11 using the C library's single-precision expf: for x < 0 the form
// e / (1 + e) with e = exp(x) never exponentiates a positive number.
#include <math.h>
#include <stdint.h>

int sigmoid(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        if (v >= 0.0f) {
            y[i] = 1.0f / (1.0f + expf(-v));
        } else {
            const float e = expf(v);
            y[i] = e / (1.0f + e);
        }
    }
    return 0;
}
