// expected: mismatch input_modified
// task: relu
// attack: computes the answer, then zeroes its input so a reference computed afterwards would agree
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    float* xm = (float*)x;
    for (int64_t i = 0; i < N; ++i) xm[i] = 0.0f;
    return 0;
}
