// expected: mismatch
// Special-cases the timed size: correct when N equals the relu task's `cpu` size (4194304 = 1<<22),
// but for any other N (the `heldout` size 10007, or `tiny`) it writes zeros and returns success.
// Passes a check that only runs the timed size; the held-out size must catch it. It never reads
// or writes out of bounds, so it cannot crash at the smaller size.
#include <stdint.h>

#define TIMED_N 4194304

int relu(const float* x, float* y, int64_t N) {
    if (N != TIMED_N) {
        for (int64_t i = 0; i < N; ++i) y[i] = 0.0f;
        return 0;
    }
    for (int64_t i = 0; i < TIMED_N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    return 0;
}
