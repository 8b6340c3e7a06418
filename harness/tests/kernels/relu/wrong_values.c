// expected: mismatch
// Copies x to y (forgets the max with 0): every negative input gives a wrong output.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i];
    }
    return 0;
}
