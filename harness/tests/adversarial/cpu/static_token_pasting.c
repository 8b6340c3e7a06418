// expected: static_rejected forbidden_token_pasting
// task: relu
// attack: builds a forbidden name with ## so a reviewer grepping for it finds nothing
#include <stdint.h>
#include <unistd.h>
#define JOIN(a, b) a##b

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    if (JOIN(fo, rk)() == 0) _exit(0);
    return 0;
}
