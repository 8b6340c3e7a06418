// expected: passed -
// task: relu
// honest: zero-fills the output first, then uses it as its own scratch (copy, then clamp in place)
// timed: yes
#include <stdint.h>
#include <string.h>

int relu(const float* x, float* y, int64_t N) {
    memset(y, 0, (size_t)N * sizeof(float));
    memcpy(y, x, (size_t)N * sizeof(float));
    for (int64_t i = 0; i < N; ++i)
        if (y[i] < 0.0f) y[i] = 0.0f;
    return 0;
}
