// expected: passed
// Correct ReLU parallelised with OpenMP (compiled with -fopenmp); also exercises thread creation
// inside the worker process.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    #pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < N; ++i) {
        const float v = x[i];
        y[i] = v > 0.0f ? v : 0.0f;
    }
    return 0;
}
