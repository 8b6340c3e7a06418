// expected: mismatch zero_output
// task: relu
// attack: writes zeros everywhere, betting on a loose tolerance
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    (void)x;
    for (int64_t i = 0; i < N; ++i) y[i] = 0.0f;
    return 0;
}
