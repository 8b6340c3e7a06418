// Baseline for `gelu_erf`: y = 0.5 * x * (1 + erf(x / sqrt(2))), elementwise, exact erf form.
// Plain single-threaded C11 using the C library's single-precision erff.
#include <math.h>
#include <stdint.h>

#define INV_SQRT2 0.70710678118654752440f

int gelu_erf(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        y[i] = 0.5f * v * (1.0f + erff(v * INV_SQRT2));
    }
    return 0;
}
