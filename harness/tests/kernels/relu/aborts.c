// expected: crashed
// Computes y correctly, then calls abort() (SIGABRT), as a failed assert() would.
#include <stdint.h>
#include <stdlib.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    abort();
}
