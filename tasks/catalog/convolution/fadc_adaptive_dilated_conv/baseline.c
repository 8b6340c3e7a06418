// Baseline for `fadc_adaptive_dilated_conv` (FADC AdaDR): replicate-pad x by 1, predict the
// per-pixel dilation d = dil*|conv3x3(xp, w_off) + b_off| and the 9 tap masks
// m = sigmoid(conv3x3(xp, w_m) + b_m), gather the modulated bilinear samples of the spread 3x3
// taps (mmcv zero convention outside xp) into a column, then y = wb[b] . column.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define STRIDE 1  // attr stride
#define DIL 1.0f  // attr dil

static float bilin0(const float* p, int64_t Hp, int64_t Wp, float py, float px) {
    if (!(py > -1.0f && px > -1.0f && py < (float)Hp && px < (float)Wp)) return 0.0f;
    const float fy = floorf(py), fx = floorf(px);
    const int64_t y0 = (int64_t)fy, x0 = (int64_t)fx;
    const float ly = py - fy, lx = px - fx;
    float v00 = 0, v01 = 0, v10 = 0, v11 = 0;
    if (y0 >= 0 && x0 >= 0) v00 = p[y0 * Wp + x0];
    if (y0 >= 0 && x0 + 1 < Wp) v01 = p[y0 * Wp + x0 + 1];
    if (y0 + 1 < Hp && x0 >= 0) v10 = p[(y0 + 1) * Wp + x0];
    if (y0 + 1 < Hp && x0 + 1 < Wp) v11 = p[(y0 + 1) * Wp + x0 + 1];
    return (1 - ly) * (1 - lx) * v00 + (1 - ly) * lx * v01 + ly * (1 - lx) * v10 + ly * lx * v11;
}

int fadc_adaptive_dilated_conv(const float* x, const float* wb, const float* w_off, const float* b_off,
                               const float* w_m, const float* b_m, float* y,
                               int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t Ho = (H - 1) / STRIDE + 1, Wo = (W - 1) / STRIDE + 1, Hp = H + 2, Wp = W + 2;
    float* xp = malloc(sizeof(float) * Cin * Hp * Wp);
    float* col = malloc(sizeof(float) * Cin * 9);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < Cin; ++c)
            for (int64_t r = 0; r < Hp; ++r)
                for (int64_t q = 0; q < Wp; ++q) {
                    int64_t sr = r - 1 < 0 ? 0 : (r - 1 > H - 1 ? H - 1 : r - 1);
                    int64_t sq = q - 1 < 0 ? 0 : (q - 1 > W - 1 ? W - 1 : q - 1);
                    xp[(c * Hp + r) * Wp + q] = x[((b * Cin + c) * H + sr) * W + sq];
                }
        for (int64_t ho = 0; ho < Ho; ++ho)
            for (int64_t wo = 0; wo < Wo; ++wo) {
                float off = b_off[0], ml[9];
                for (int t = 0; t < 9; ++t) ml[t] = b_m[t];
                for (int64_t c = 0; c < Cin; ++c)
                    for (int i = 0; i < 3; ++i)
                        for (int j = 0; j < 3; ++j) {
                            const float v = xp[(c * Hp + ho * STRIDE + i) * Wp + wo * STRIDE + j];
                            off += w_off[(c * 3 + i) * 3 + j] * v;
                            for (int t = 0; t < 9; ++t) ml[t] += w_m[((t * Cin + c) * 3 + i) * 3 + j] * v;
                        }
                const float d = DIL * fabsf(off);
                for (int t = 0; t < 9; ++t) ml[t] = 1.0f / (1.0f + expf(-ml[t]));
                for (int64_t c = 0; c < Cin; ++c)
                    for (int i = 0; i < 3; ++i)
                        for (int j = 0; j < 3; ++j) {
                            const float py = (float)(ho * STRIDE + i) + (float)(i - 1) * d;
                            const float px = (float)(wo * STRIDE + j) + (float)(j - 1) * d;
                            col[c * 9 + i * 3 + j] = ml[i * 3 + j] * bilin0(xp + c * Hp * Wp, Hp, Wp, py, px);
                        }
                for (int64_t o = 0; o < Cout; ++o) {
                    const float* wk = wb + (b * Cout + o) * Cin * 9;
                    float acc = 0.0f;
                    for (int64_t k = 0; k < Cin * 9; ++k) acc += wk[k] * col[k];
                    y[((b * Cout + o) * Ho + ho) * Wo + wo] = acc;
                }
            }
    }
    free(xp);
    free(col);
    return 0;
}
