// expected: mismatch unwritten_output
// task: relu
// attack: returns success without writing, hoping a stale result is left in the output buffer
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    (void)x; (void)y; (void)N;
    return 0;
}
