// Baseline for `ifftshift` over the last two axes of x[B, M, N]:
//   y[b, i, j] = x[b, (i + M/2) mod M, (j + N/2) mod N]
// Each output row is a source row split into two contiguous pieces (two memcpy calls).
#include <stdint.h>
#include <string.h>

int ifftshift(const float* x, float* y, int64_t B, int64_t M, int64_t N) {
    const int64_t sm = M / 2, sn = N / 2;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < M; ++i) {
            const float* src = x + (b * M + (i + sm) % M) * N;
            float* dst = y + (b * M + i) * N;
            // dst[j] = src[(j + sn) mod N]: dst[0 .. N-sn) = src[sn .. N), dst[N-sn .. N) = src[0 .. sn)
            memcpy(dst, src + sn, sizeof(float) * (size_t)(N - sn));
            memcpy(dst + (N - sn), src, sizeof(float) * (size_t)sn);
        }
    }
    return 0;
}
