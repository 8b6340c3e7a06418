// Baseline for `pat_ch_partial_gaussian_channel_attention` (PATNet PAT_ch, assumed form), NCHW f32:
//   y[:, :Cp] = conv3x3(x[:, :Cp], w) (pad 1, no bias); y[:, Cp:] = x[:, Cp:] * a[b, c] with the
//   Gaussian channel attention a = exp(-z^2 * CG / 2), z = standardised channel means.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define N_DIV 4
#define CG 2.0f
#define EPS 1e-5f

int pat_ch_partial_gaussian_channel_attention(const float* x, const float* w, float* y,
                                              int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t cp = C / N_DIV, cu = C - cp, plane = H * W;
    float* g = (float*)malloc((size_t)cu * sizeof(float));
    if (!g) return 1;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;
        // partial conv
        for (int64_t o = 0; o < cp; ++o) {
            float* yo = yb + o * plane;
            for (int64_t p = 0; p < plane; ++p) yo[p] = 0.0f;
            for (int64_t c = 0; c < cp; ++c) {
                const float* xc = xb + c * plane;
                const float* wk = w + (o * cp + c) * 9;
                for (int64_t u = 0; u < 3; ++u)
                    for (int64_t v = 0; v < 3; ++v) {
                        const float kv = wk[u * 3 + v];
                        const int64_t i0 = u == 0 ? 1 : 0, i1 = u == 2 ? H - 1 : H;
                        const int64_t j0 = v == 0 ? 1 : 0, j1 = v == 2 ? W - 1 : W;
                        for (int64_t i = i0; i < i1; ++i) {
                            const float* xr = xc + (i + u - 1) * W + (v - 1);
                            float* yr = yo + i * W;
                            for (int64_t j = j0; j < j1; ++j) yr[j] += kv * xr[j];
                        }
                    }
            }
        }
        // Gaussian channel attention on the untouched channels
        float m = 0.0f, m2 = 0.0f;
        for (int64_t c = 0; c < cu; ++c) {
            const float* xc = xb + (cp + c) * plane;
            float s = 0.0f;
            for (int64_t p = 0; p < plane; ++p) s += xc[p];
            g[c] = s / (float)plane;
            m += g[c];
            m2 += g[c] * g[c];
        }
        m /= (float)cu;
        const float var = m2 / (float)cu - m * m;
        const float inv = 1.0f / sqrtf(var + EPS);
        for (int64_t c = 0; c < cu; ++c) {
            const float z = (g[c] - m) * inv;
            const float a = expf(-z * z * CG / 2.0f);
            const float* xc = xb + (cp + c) * plane;
            float* yc = yb + (cp + c) * plane;
            for (int64_t p = 0; p < plane; ++p) yc[p] = xc[p] * a;
        }
    }
    free(g);
    return 0;
}
