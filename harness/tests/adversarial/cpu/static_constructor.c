// expected: static_rejected forbidden_constructor
// task: relu
// attack: runs code when the library is loaded, before any check starts
#include <stdint.h>
__attribute__((constructor)) static void early(void) {}

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
