// Baseline for `gelu_tanh`: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))),
// elementwise. Plain single-threaded C11 using the C library's single-precision tanhf.
#include <math.h>
#include <stdint.h>

#define SQRT_2_OVER_PI 0.79788456080286535588f

int gelu_tanh(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        const float u = SQRT_2_OVER_PI * (v + 0.044715f * v * v * v);
        y[i] = 0.5f * v * (1.0f + tanhf(u));
    }
    return 0;
}
