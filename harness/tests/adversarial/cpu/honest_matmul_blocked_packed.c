// expected: passed -
// task: matmul
// honest: cache-blocked GEMM; each OpenMP thread packs panels of B into its own malloc'd buffer
// timed: yes
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BK 64
#define BN 64

int matmul(const float* a, const float* b, float* c, int64_t M, int64_t K, int64_t N) {
    memset(c, 0, (size_t)(M * N) * sizeof(float));
    #pragma omp parallel
    {
        float* panel = malloc(BK * BN * sizeof(float));
        #pragma omp for schedule(static) collapse(1)
        for (int64_t n0 = 0; n0 < N; n0 += BN) {
            const int64_t nb = N - n0 < BN ? N - n0 : BN;
            for (int64_t k0 = 0; k0 < K; k0 += BK) {
                const int64_t kb = K - k0 < BK ? K - k0 : BK;
                for (int64_t k = 0; k < kb; ++k) memcpy(panel + k * BN, b + (k0 + k) * N + n0, (size_t)nb * sizeof(float));
                for (int64_t m = 0; m < M; ++m) {
                    float* crow = c + m * N + n0;
                    for (int64_t k = 0; k < kb; ++k) {
                        const float av = a[m * K + k0 + k];
                        const float* prow = panel + k * BN;
                        #pragma omp simd
                        for (int64_t n = 0; n < nb; ++n) crow[n] += av * prow[n];
                    }
                }
            }
        }
        free(panel);
    }
    return 0;
}
