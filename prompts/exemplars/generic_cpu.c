/* Generic exemplar (vector_scale_add): y[i] = a * x[i] + b[i] for i < N, a = 2.0.
 * ABI: int vector_scale_add(const float* x, const float* b, float* y, int64_t N); */
#include <stdint.h>

#define A 2.0f

int vector_scale_add(const float* x, const float* b, float* y, int64_t N) {
    #pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < N; ++i) {
        y[i] = A * x[i] + b[i];
    }
    return 0;
}
