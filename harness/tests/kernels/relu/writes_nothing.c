// expected: mismatch
// Returns success without writing a single output element: the harness poisons y with NaN
// before the call, so every element still holds the poison value.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    (void)x;
    (void)y;
    (void)N;
    return 0;
}
