// Baseline for `std_interpolate_resize`: bilinear upsampling by SCALE, align_corners=False.
//   src(d) = max((d + 0.5)/SCALE - 0.5, 0); i0 = floor(src); i1 = min(i0+1, n-1); l = src - i0
//   y[b,c,i,j] = (1-lh)*((1-lw)*x[r0,c0] + lw*x[r0,c1]) + lh*((1-lw)*x[r1,c0] + lw*x[r1,c1])
// Column taps and weights are computed once; each output row blends two input rows.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define SCALE 2   // attr scale

static void taps(int64_t d, int64_t n_in, int64_t* i0, int64_t* i1, float* l) {
    float src = ((float)d + 0.5f) / (float)SCALE - 0.5f;
    if (src < 0.0f) src = 0.0f;
    int64_t a = (int64_t)floorf(src);
    if (a > n_in - 1) a = n_in - 1;
    *i0 = a;
    *i1 = a + 1 < n_in ? a + 1 : n_in - 1;
    *l = src - (float)a;
}

int std_interpolate_resize(const float* x, float* y, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t Ho = H * SCALE, Wo = W * SCALE;
    int64_t* c0 = (int64_t*)malloc(sizeof(int64_t) * (size_t)Wo);
    int64_t* c1 = (int64_t*)malloc(sizeof(int64_t) * (size_t)Wo);
    float* lw = (float*)malloc(sizeof(float) * (size_t)Wo);
    if (!c0 || !c1 || !lw) {
        free(c0);
        free(c1);
        free(lw);
        return 1;
    }
    for (int64_t j = 0; j < Wo; ++j) taps(j, W, &c0[j], &c1[j], &lw[j]);
    for (int64_t bc = 0; bc < B * C; ++bc) {
        const float* xp = x + bc * H * W;
        float* yp = y + bc * Ho * Wo;
        for (int64_t i = 0; i < Ho; ++i) {
            int64_t r0, r1;
            float lh;
            taps(i, H, &r0, &r1, &lh);
            const float* x0 = xp + r0 * W;
            const float* x1 = xp + r1 * W;
            float* yr = yp + i * Wo;
            for (int64_t j = 0; j < Wo; ++j) {
                const float top = (1.0f - lw[j]) * x0[c0[j]] + lw[j] * x0[c1[j]];
                const float bot = (1.0f - lw[j]) * x1[c0[j]] + lw[j] * x1[c1[j]];
                yr[j] = (1.0f - lh) * top + lh * bot;
            }
        }
    }
    free(c0);
    free(c1);
    free(lw);
    return 0;
}
