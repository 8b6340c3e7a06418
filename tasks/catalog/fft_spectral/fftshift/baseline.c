// Baseline for `fftshift`: y[b,i,j] = x[b, (i - M/2) mod M, (j - N/2) mod N] (floor division).
// Each output row is the source row rolled by N/2: two contiguous memcpy's per row.
#include <stdint.h>
#include <string.h>

int fftshift(const float* x, float* y, int64_t B, int64_t M, int64_t N) {
    const int64_t sm = M / 2, sn = N / 2;
    for (int64_t b = 0; b < B; ++b) {
        const float* xp = x + b * M * N;
        float* yp = y + b * M * N;
        for (int64_t i = 0; i < M; ++i) {
            const float* src = xp + ((i - sm + M) % M) * N;
            float* dst = yp + i * N;
            // dst[j] = src[(j - sn) mod N]: dst[sn..N) = src[0..N-sn), dst[0..sn) = src[N-sn..N)
            memcpy(dst + sn, src, sizeof(float) * (size_t)(N - sn));
            memcpy(dst, src + (N - sn), sizeof(float) * (size_t)sn);
        }
    }
    return 0;
}
