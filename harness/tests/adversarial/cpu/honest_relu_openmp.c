// expected: passed -
// task: relu
// honest: OpenMP parallel SIMD loop (threads from the OpenMP runtime are allowed)
// timed: yes
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    #pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
