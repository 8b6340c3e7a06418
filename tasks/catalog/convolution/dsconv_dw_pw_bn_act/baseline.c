// Baseline for `dsconv_dw_pw_bn_act` (MobileNet-style DSConv): depthwise kxk conv -> folded BN ->
// hardswish, pointwise 1x1 conv -> folded BN -> hardswish. k = 3, stride 1, dilation 1, pad 1.
#include <stdint.h>
#include <stdlib.h>

#define KS 3    // attr k
#define STR 1   // attr stride
#define DIL 1   // attr dilation

static inline float hardswish(float a) {
    float r = a + 3.0f;
    r = r < 0.0f ? 0.0f : (r > 6.0f ? 6.0f : r);
    return a * r / 6.0f;
}

int dsconv_dw_pw_bn_act(const float* x, const float* w_dw, const float* s_dw, const float* t_dw,
                        const float* w_pw, const float* s, const float* t, float* y,
                        int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t p = DIL * (KS - 1) / 2;
    const int64_t Ho = (H + 2 * p - DIL * (KS - 1) - 1) / STR + 1;
    const int64_t Wo = (W + 2 * p - DIL * (KS - 1) - 1) / STR + 1;
    const int64_t plane = Ho * Wo;
    float* v = malloc(sizeof(float) * Cin * plane);
    if (!v) return 1;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < Cin; ++c) {
            const float* xc = x + (b * Cin + c) * H * W;
            const float* wk = w_dw + c * KS * KS;
            for (int64_t i = 0; i < Ho; ++i)
                for (int64_t j = 0; j < Wo; ++j) {
                    float acc = 0.0f;
                    for (int64_t a = 0; a < KS; ++a) {
                        const int64_t ii = i * STR - p + a * DIL;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t e = 0; e < KS; ++e) {
                            const int64_t jj = j * STR - p + e * DIL;
                            if (jj < 0 || jj >= W) continue;
                            acc += wk[a * KS + e] * xc[ii * W + jj];
                        }
                    }
                    v[c * plane + i * Wo + j] = hardswish(s_dw[c] * acc + t_dw[c]);
                }
        }
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (b * Cout + o) * plane;
            for (int64_t q = 0; q < plane; ++q) yo[q] = 0.0f;
            for (int64_t c = 0; c < Cin; ++c) {
                const float w = w_pw[o * Cin + c];
                const float* vc = v + c * plane;
                for (int64_t q = 0; q < plane; ++q) yo[q] += w * vc[q];
            }
            for (int64_t q = 0; q < plane; ++q) yo[q] = hardswish(s[o] * yo[q] + t[o]);
        }
    }
    free(v);
    return 0;
}
