// expected: mismatch poison_dependent
// task: relu
// attack: only writes elements whose output still holds NaN, trusting anything else as a previous result
#include <stdint.h>
#include <math.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i)
        if (isnan(y[i])) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
