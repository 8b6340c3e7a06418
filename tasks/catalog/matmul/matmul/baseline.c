// Baseline for `matmul`: c[M, N] = a[M, K] @ b[K, N], all row-major f32.
// i-k-j loop order: the innermost loop streams one row of b and one row of c with unit stride,
// so it vectorises and stays in cache. Accumulation is in float, in k order.
#include <stdint.h>

int matmul(const float* a, const float* b, float* c, int64_t M, int64_t K, int64_t N) {
    for (int64_t i = 0; i < M; ++i) {
        float* ci = c + i * N;
        for (int64_t j = 0; j < N; ++j) ci[j] = 0.0f;
        for (int64_t k = 0; k < K; ++k) {
            const float aik = a[i * K + k];
            const float* bk = b + k * N;
            for (int64_t j = 0; j < N; ++j) {
                ci[j] += aik * bk[j];
            }
        }
    }
    return 0;
}
