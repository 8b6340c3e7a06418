// expected: static_rejected forbidden_proc_access
// task: relu
// attack: opens /proc/self/mem to patch the worker (named through a path string)
#include <stdint.h>
static const char* target = "/proc/self/mem";

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    (void)target;
    return 0;
}
