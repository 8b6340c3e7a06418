// expected: timeout
// Computes y, then spins forever. The counter is volatile, so the compiler must keep the loop
// (an empty side-effect-free infinite loop could otherwise be assumed to terminate).
#include <stdint.h>

static volatile uint64_t spins = 0;

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    for (;;) {
        spins = spins + 1;
    }
    return 0;
}
