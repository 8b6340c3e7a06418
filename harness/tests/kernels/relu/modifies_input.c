// expected: mismatch
// Writes a correct y, then zeroes the input x through a cast-away const. The outputs match the
// reference; only the harness's before/after hash of the input buffers can catch this.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    float* scratch = (float*)x;  // "reuse the input as scratch space"
    for (int64_t i = 0; i < N; ++i) {
        scratch[i] = 0.0f;
    }
    return 0;
}
