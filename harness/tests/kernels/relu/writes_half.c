// expected: mismatch
// Computes ReLU correctly but only for the first N/2 elements; the second half of y keeps the
// harness's NaN poison. Catches checkers that only sample the beginning of the output.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N / 2; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    return 0;
}
