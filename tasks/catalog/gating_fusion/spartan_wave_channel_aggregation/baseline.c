// Baseline for `spartan_wave_channel_aggregation` (SpaRTAN CMixer head), NCHW f32, Cn = C * E.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EXPAND 4  // attr E

static float gelu(float t) { return 0.5f * t * (1.0f + erff(t * 0.70710678118654752f)); }

int spartan_wave_channel_aggregation(const float* x, const float* w_t, const float* b_t,
                                     const float* w_p, const float* b_p, const float* cplx,
                                     float* out, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t cn = C * EXPAND, hw = H * W;
    float* th = malloc(sizeof(float) * (size_t)cn);
    float* wg = malloc(sizeof(float) * (size_t)cn);
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * hw;
        float* ob = out + b * cn * hw;
        for (int64_t p = 0; p < hw; ++p) {
            int64_t idx = 0;
            for (int64_t k = 1; k < C; ++k)
                if (xb[k * hw + p] > xb[idx * hw + p]) idx = k;
            for (int64_t n = 0; n < cn; ++n) {
                float st = b_t[n], sp = b_p[n];
                for (int64_t k = 0; k < C; ++k) {
                    const float xv = xb[k * hw + p];
                    st += w_t[n * C + k] * xv;
                    sp += w_p[n * C + k] * xv;
                }
                th[n] = gelu(st);
                wg[n] = sp;
            }
            const float mx = wg[idx] * th[idx];
            for (int64_t j = 0; j < cn / 2; ++j) {
                const float re = wg[2 * j] * th[2 * j] + mx, im = wg[2 * j + 1] * th[2 * j + 1] + mx;
                const float a = cplx[2 * j], c = cplx[2 * j + 1];
                ob[(2 * j) * hw + p] = a * re - c * im;
                ob[(2 * j + 1) * hw + p] = a * im + c * re;
            }
        }
    }
    free(th);
    free(wg);
    return 0;
}
