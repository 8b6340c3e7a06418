// Baseline for `silu`: y = x * sigmoid(x) = x / (1 + exp(-x)), elementwise.
// Plain single-threaded C11 using the C library's single-precision expf. For very negative x,
// expf(-x) overflows to +inf and x / inf = -0, which is the correctly rounded limit.
#include <math.h>
#include <stdint.h>

int silu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        y[i] = v / (1.0f + expf(-v));
    }
    return 0;
}
