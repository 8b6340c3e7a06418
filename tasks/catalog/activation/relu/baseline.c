// Baseline for `relu`: y[i] = max(x[i], 0) over a flat f32 tensor of N elements.
// Plain single-threaded C11; the compiler is free to vectorise the loop.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        y[i] = v > 0.0f ? v : 0.0f;
    }
    return 0;
}
