// Baseline for `gated_short_conv1d` (LFM2 ShortConv, no biases): in-projection to (B, C, x),
// g = B*x, causal depthwise conv of length L = 3 over time, C gate, out-projection.
#include <stdint.h>
#include <stdlib.h>

#define LC 3  // attr L

int gated_short_conv1d(const float* x, const float* w_in, const float* w_conv, const float* w_out,
                       float* out, int64_t B, int64_t T, int64_t D) {
    float* z = malloc(sizeof(float) * T * 3 * D);
    float* yv = malloc(sizeof(float) * D);
    if (!z || !yv) { free(z); free(yv); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t t = 0; t < T; ++t) {
            const float* xt = x + (b * T + t) * D;
            for (int64_t r = 0; r < 3 * D; ++r) {
                float s = 0.0f;
                for (int64_t f = 0; f < D; ++f) s += w_in[r * D + f] * xt[f];
                z[t * 3 * D + r] = s;
            }
        }
        for (int64_t t = 0; t < T; ++t) {
            for (int64_t d = 0; d < D; ++d) {
                float c = 0.0f;
                for (int64_t j = 0; j < LC; ++j) {
                    const int64_t tt = t - (LC - 1) + j;
                    if (tt < 0) continue;
                    const float g = z[tt * 3 * D + d] * z[tt * 3 * D + 2 * D + d];  // Bg * xv
                    c += w_conv[d * LC + j] * g;
                }
                yv[d] = z[t * 3 * D + D + d] * c;  // Cg * conv
            }
            float* ot = out + (b * T + t) * D;
            for (int64_t e = 0; e < D; ++e) {
                float s = 0.0f;
                for (int64_t d = 0; d < D; ++d) s += w_out[e * D + d] * yv[d];
                ot[e] = s;
            }
        }
    }
    free(z);
    free(yv);
    return 0;
}
