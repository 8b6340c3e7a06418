// Baseline for `std_layernorm_channels_nchw`, NCHW f32, statistics per pixel over C channels:
//   mean, var (biased) over x[b, :, h, w]                       (two passes in double)
//   y[b,c,h,w] = (x - mean) / sqrt(var + EPS) * gamma[c] + beta[c]
// The channel loop is the outer loop and pixels the inner one, so every pass walks memory
// contiguously; per-pixel running sums live in a small double scratch buffer per image.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EPS 1e-6     // attr eps

int std_layernorm_channels_nchw(const float* x, const float* gamma, const float* beta, float* y,
                                int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    double* mean = (double*)malloc(sizeof(double) * (size_t)plane);
    double* acc = (double*)malloc(sizeof(double) * (size_t)plane);
    if (!mean || !acc) {
        free(mean);
        free(acc);
        return 1;
    }
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;
        for (int64_t p = 0; p < plane; ++p) acc[p] = 0.0;
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < plane; ++p) acc[p] += xb[c * plane + p];
        for (int64_t p = 0; p < plane; ++p) {
            mean[p] = acc[p] / (double)C;
            acc[p] = 0.0;
        }
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < plane; ++p) {
                const double d = (double)xb[c * plane + p] - mean[p];
                acc[p] += d * d;
            }
        for (int64_t p = 0; p < plane; ++p) acc[p] = 1.0 / sqrt(acc[p] / (double)C + EPS);  // rstd
        for (int64_t c = 0; c < C; ++c) {
            const double g = gamma[c], be = beta[c];
            for (int64_t p = 0; p < plane; ++p)
                yb[c * plane + p] = (float)(((double)xb[c * plane + p] - mean[p]) * acc[p] * g + be);
        }
    }
    free(mean);
    free(acc);
    return 0;
}
