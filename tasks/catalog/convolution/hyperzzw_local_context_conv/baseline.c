// Baseline for `hyperzzw_local_context_conv` (Terminator LocalConv + biasN):
// t = dwconv_K(x, Hk); u = bm + Wm @ t; batch-standardise u per channel over (B,H,W); y = gelu + fast_bias
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int hyperzzw_local_context_conv(const float* x, const float* Hk, const float* Wm, const float* bm,
                                const float* fast_bias, float* y,
                                int64_t B, int64_t C, int64_t H, int64_t W, int64_t K) {
    const int64_t P = H * W, pad = (K - 1) / 2;
    float* t = (float*)malloc(sizeof(float) * C * P);
    if (!t) return 1;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * P;
            const float* kw = Hk + c * K * K;
            for (int64_t i = 0; i < H; ++i) {
                for (int64_t j = 0; j < W; ++j) {
                    float acc = 0.0f;
                    for (int64_t u = 0; u < K; ++u) {
                        const int64_t ii = i + u - pad;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t v = 0; v < K; ++v) {
                            const int64_t jj = j + v - pad;
                            if (jj < 0 || jj >= W) continue;
                            acc += kw[u * K + v] * xc[ii * W + jj];
                        }
                    }
                    t[c * P + i * W + j] = acc;
                }
            }
        }
        // channel mixer, written into y (standardised in place below)
        for (int64_t o = 0; o < C; ++o) {
            float* yo = y + (b * C + o) * P;
            for (int64_t p = 0; p < P; ++p) yo[p] = bm[o];
            for (int64_t c = 0; c < C; ++c) {
                const float wv = Wm[o * C + c];
                const float* tc = t + c * P;
                for (int64_t p = 0; p < P; ++p) yo[p] += wv * tc[p];
            }
        }
    }
    const double cnt = (double)(B * P);
    const float fb = fast_bias[0];
    for (int64_t o = 0; o < C; ++o) {
        double sum = 0.0;
        for (int64_t b = 0; b < B; ++b)
            for (int64_t p = 0; p < P; ++p) sum += y[(b * C + o) * P + p];
        const double mu = sum / cnt;
        double sq = 0.0;
        for (int64_t b = 0; b < B; ++b)
            for (int64_t p = 0; p < P; ++p) { const double e = y[(b * C + o) * P + p] - mu; sq += e * e; }
        const float inv = (float)(1.0 / sqrt(sq / cnt + 1e-5));
        const float muf = (float)mu;
        for (int64_t b = 0; b < B; ++b) {
            float* yo = y + (b * C + o) * P;
            for (int64_t p = 0; p < P; ++p) {
                const float z = (yo[p] - muf) * inv;
                yo[p] = 0.5f * z * (1.0f + erff(z * 0.70710678118654752f)) + fb;
            }
        }
    }
    free(t);
    return 0;
}
