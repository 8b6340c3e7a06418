// Baseline for `fdconv_kernel_spatial_modulation_conv` (FDConv KSM + per-sample conv), NCHW f32.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KSZ 3     // attr k
#define STRIDE 1  // attr stride
#define PAD 1     // attr pad
#define KS 5      // attr ks (local 1-D conv length)

static float sig2(float t) { return 2.0f / (1.0f + expf(-t)); }

int fdconv_kernel_spatial_modulation_conv(
    const float* x, const float* xf, const float* Wt, const float* w_fc, const float* s_bn,
    const float* t_bn, const float* sr_s, const float* sr_b, const float* w_ch, const float* b_ch,
    const float* w_fil, const float* b_fil, const float* w_sp, const float* b_sp, const float* ln_w,
    const float* ln_b, const float* w_loc, float* y, int64_t B, int64_t Cin, int64_t Cout,
    int64_t H, int64_t W) {
    const int64_t A = Cin / 16 > 16 ? Cin / 16 : 16, KK = KSZ * KSZ, hw = H * W;
    const int64_t Ho = (H + 2 * PAD - KSZ) / STRIDE + 1, Wo = (W + 2 * PAD - KSZ) / STRIDE + 1;
    float *gx = malloc(sizeof(float) * (size_t)Cin), *z = malloc(sizeof(float) * (size_t)A);
    float *ch = malloc(sizeof(float) * (size_t)Cin), *fil = malloc(sizeof(float) * (size_t)Cout);
    float *g2 = malloc(sizeof(float) * (size_t)Cin), sp[KSZ * KSZ];
    float* wf = malloc(sizeof(float) * (size_t)(Cout * Cin * KK));
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < Cin; ++i) {
            double s = 0.0;
            for (int64_t p = 0; p < hw; ++p) s += x[(b * Cin + i) * hw + p];
            gx[i] = (float)(s / (double)hw);
        }
        for (int64_t r = 0; r < A; ++r) {
            float s = 0.0f;
            for (int64_t i = 0; i < Cin; ++i) s += w_fc[r * Cin + i] * gx[i];
            float t = s_bn[r] * s + t_bn[r];
            t = t > 0.0f ? t : 0.0f;
            z[r] = sr_s[0] * t * t + sr_b[0];
        }
        for (int64_t i = 0; i < Cin; ++i) {
            float s = b_ch[i];
            for (int64_t r = 0; r < A; ++r) s += w_ch[i * A + r] * z[r];
            ch[i] = sig2(s);
        }
        for (int64_t o = 0; o < Cout; ++o) {
            float s = b_fil[o];
            for (int64_t r = 0; r < A; ++r) s += w_fil[o * A + r] * z[r];
            fil[o] = sig2(s);
        }
        for (int64_t t = 0; t < KK; ++t) {
            float s = b_sp[t];
            for (int64_t r = 0; r < A; ++r) s += w_sp[t * A + r] * z[r];
            sp[t] = sig2(s);
        }
        float mu = 0.0f, var = 0.0f;
        for (int64_t i = 0; i < Cin; ++i) mu += gx[i];
        mu /= (float)Cin;
        for (int64_t i = 0; i < Cin; ++i) var += (gx[i] - mu) * (gx[i] - mu);
        var /= (float)Cin;
        const float inv = 1.0f / sqrtf(var + 1e-5f);
        for (int64_t i = 0; i < Cin; ++i) g2[i] = (gx[i] - mu) * inv * ln_w[i] + ln_b[i];
        for (int64_t o = 0; o < Cout; ++o)
            for (int64_t i = 0; i < Cin; ++i)
                for (int64_t t = 0; t < KK; ++t) {
                    const int64_t j = o * KK + t;
                    float loc = 0.0f;
                    for (int64_t s = 0; s < KS; ++s) {
                        const int64_t ii = i + s - (KS - 1) / 2;
                        if (ii >= 0 && ii < Cin) loc += w_loc[j * KS + s] * g2[ii];
                    }
                    wf[(o * Cin + i) * KK + t] =
                        sp[t] * ch[i] * fil[o] * sig2(loc) * Wt[((b * Cout + o) * Cin + i) * KK + t];
                }
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (b * Cout + o) * Ho * Wo;
            memset(yo, 0, sizeof(float) * (size_t)(Ho * Wo));
            for (int64_t i = 0; i < Cin; ++i) {
                const float* xi = xf + (b * Cin + i) * hw;
                for (int64_t kh = 0; kh < KSZ; ++kh)
                    for (int64_t kw = 0; kw < KSZ; ++kw) {
                        const float wv = wf[(o * Cin + i) * KK + kh * KSZ + kw];
                        for (int64_t p = 0; p < Ho; ++p) {
                            const int64_t r = p * STRIDE - PAD + kh;
                            if (r < 0 || r >= H) continue;
                            for (int64_t q = 0; q < Wo; ++q) {
                                const int64_t c = q * STRIDE - PAD + kw;
                                if (c < 0 || c >= W) continue;
                                yo[p * Wo + q] += wv * xi[r * W + c];
                            }
                        }
                    }
            }
        }
    }
    free(gx); free(z); free(ch); free(fil); free(g2); free(wf);
    return 0;
}
