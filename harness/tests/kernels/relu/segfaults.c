// expected: crashed
// Stores through a NULL pointer (SIGSEGV). The pointer is read through a volatile variable so
// the compiler cannot see that it is NULL and turn the store into a trap instruction.
#include <stddef.h>
#include <stdint.h>

static float* volatile sink = NULL;

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    float* p = sink;
    *p = y[0];
    return 0;
}
