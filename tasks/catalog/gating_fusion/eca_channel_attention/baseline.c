// Baseline for `eca_channel_attention` (ECA-Net), NCHW f32, KSIZE-tap 1-D conv across channels:
//   g[b,c]   = (1/(H*W)) sum_{h,w} x[b,c,h,w]                          (accumulated in double)
//   z[b,c]   = sum_{t<KSIZE} w[t] * g[b, c + t - (KSIZE-1)/2]           (g = 0 outside [0, C))
//   y[b,c,h,w] = x[b,c,h,w] * sigmoid(z[b,c]),  sigmoid(z) = 1 / (1 + exp(-z))
// Two passes per image: pool every channel, then compute the C gates and rescale.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define KSIZE 3  // attr k

int eca_channel_attention(const float* x, const float* w, float* y,
                          int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    const int64_t half = (KSIZE - 1) / 2;
    double* g = malloc((size_t)C * sizeof(double));
    if (g == NULL) return 1;

    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;

        for (int64_t c = 0; c < C; ++c) {
            const float* xc = xb + c * plane;
            double s = 0.0;
            for (int64_t p = 0; p < plane; ++p) s += xc[p];
            g[c] = s / (double)plane;
        }

        for (int64_t c = 0; c < C; ++c) {
            double z = 0.0;
            for (int64_t t = 0; t < KSIZE; ++t) {
                const int64_t cc = c + t - half;
                if (cc >= 0 && cc < C) z += (double)w[t] * g[cc];
            }
            const float gate = (float)(1.0 / (1.0 + exp(-z)));
            const float* xc = xb + c * plane;
            float* yc = yb + c * plane;
            for (int64_t p = 0; p < plane; ++p) yc[p] = xc[p] * gate;
        }
    }
    free(g);
    return 0;
}
