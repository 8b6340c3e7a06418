// Baseline for `mamba_selective_scan` (Mamba S6, selective_scan_ref with z and delta_bias),
// layout "B D L", f32:
//   dt = softplus(delta + delta_bias[d])  (threshold 20)
//   h[n] = exp(dt*A[d,n]) h[n] + dt*Bm[b,n,l]*u;  y = sum_n h[n] Cm[b,n,l]
//   out = (y + u*Dskip[d]) * silu(z)
// One sequential scan per (b, d); the state h[N] lives in a small float array.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int mamba_selective_scan(const float* u, const float* delta, const float* A, const float* Bm,
                         const float* Cm, const float* Dskip, const float* delta_bias,
                         const float* z, float* out,
                         int64_t B, int64_t D, int64_t L, int64_t N) {
    float* h = malloc((size_t)N * sizeof(float));
    if (h == NULL) return 1;
    for (int64_t b = 0; b < B; ++b) {
        const float* Bb = Bm + b * N * L;
        const float* Cb = Cm + b * N * L;
        for (int64_t d = 0; d < D; ++d) {
            const int64_t row = (b * D + d) * L;
            const float* Ad = A + d * N;
            for (int64_t n = 0; n < N; ++n) h[n] = 0.0f;
            for (int64_t l = 0; l < L; ++l) {
                const float t = delta[row + l] + delta_bias[d];
                const float dt = t > 20.0f ? t : log1pf(expf(t));
                const float ul = u[row + l];
                const float dtu = dt * ul;
                float acc = 0.0f;
                for (int64_t n = 0; n < N; ++n) {
                    h[n] = expf(dt * Ad[n]) * h[n] + dtu * Bb[n * L + l];
                    acc += h[n] * Cb[n * L + l];
                }
                const float zl = z[row + l];
                const float silu = zl / (1.0f + expf(-zl));
                out[row + l] = (acc + ul * Dskip[d]) * silu;
            }
        }
    }
    free(h);
    return 0;
}
