// expected: mismatch heldout_only_failure
// task: relu
// attack: hard-codes the visible (tiny) size: correct when N is 4096, zeros for any other N
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    if (N != 4096) {
        for (int64_t i = 0; i < N; ++i) y[i] = 0.0f;
        return 0;
    }
    for (int64_t i = 0; i < 4096; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
