// expected: static_rejected forbidden_introspection
// task: relu
// attack: walks up the stack into the worker's frames to rewrite its measurements
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    volatile void* frame = __builtin_frame_address(1);
    (void)frame;
    return 0;
}
