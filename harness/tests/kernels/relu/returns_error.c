// expected: runtime_error
// Writes a correct y but returns 3 instead of 0; a nonzero return code is a failure even when
// the outputs are right.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    return 3;
}
