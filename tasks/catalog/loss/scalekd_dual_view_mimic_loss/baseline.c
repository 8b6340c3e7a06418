// Baseline for `scalekd_dual_view_mimic_loss` (ScaleKD spatial + DC-removed frequency mimic loss).
// hp(z) = idct2(dct2(z) with DC zeroed) is computed as z - mean_{h,w}(z) (identical in exact math).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define ALPHA_SPAT 0.08  // attr alpha_spat
#define ALPHA_FREQ 0.06  // attr alpha_freq

// sum over (b, pixel) of || l2n(a[:, p]) - l2n(t[:, p]) ||^2; a given as tokens [B, HW, C]
// (optionally mean-removed per (b, c) plane, ma / mt hold the means)
static double view(const float* s, const float* t, const double* ms, const double* mt,
                   int64_t B, int64_t C, int64_t hw) {
    double total = 0.0;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t p = 0; p < hw; ++p) {
            double ns = 0.0, nt = 0.0;
            for (int64_t c = 0; c < C; ++c) {
                const double a = s[(b * hw + p) * C + c] - (ms ? ms[b * C + c] : 0.0);
                const double v = t[(b * C + c) * hw + p] - (mt ? mt[b * C + c] : 0.0);
                ns += a * a;
                nt += v * v;
            }
            ns = fmax(sqrt(ns), 1e-12);
            nt = fmax(sqrt(nt), 1e-12);
            for (int64_t c = 0; c < C; ++c) {
                const double a = (s[(b * hw + p) * C + c] - (ms ? ms[b * C + c] : 0.0)) / ns;
                const double v = (t[(b * C + c) * hw + p] - (mt ? mt[b * C + c] : 0.0)) / nt;
                total += (a - v) * (a - v);
            }
        }
    return total;
}

int scalekd_dual_view_mimic_loss(const float* s_spat, const float* s_freq, const float* t,
                                 float* loss_spat, float* loss_freq,
                                 int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t hw = H * W;
    double* ms = calloc((size_t)(B * C), sizeof(double));
    double* mt = calloc((size_t)(B * C), sizeof(double));
    for (int64_t b = 0; b < B; ++b)
        for (int64_t p = 0; p < hw; ++p)
            for (int64_t c = 0; c < C; ++c) ms[b * C + c] += s_freq[(b * hw + p) * C + c];
    for (int64_t i = 0; i < B * C; ++i) {
        double s = 0.0;
        for (int64_t p = 0; p < hw; ++p) s += t[i * hw + p];
        mt[i] = s / (double)hw;
        ms[i] /= (double)hw;
    }
    loss_spat[0] = (float)(ALPHA_SPAT * view(s_spat, t, NULL, NULL, B, C, hw) / (double)B);
    loss_freq[0] = (float)(ALPHA_FREQ * view(s_freq, t, ms, mt, B, C, hw) / (double)B);
    free(ms);
    free(mt);
    return 0;
}
