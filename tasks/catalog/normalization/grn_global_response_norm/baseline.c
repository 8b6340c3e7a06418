// Baseline for `grn_global_response_norm` (ConvNeXt V2 / UniRepLKNet GRN), NHWC f32:
//   G[n,c]  = sqrt(sum_{h,w} x[n,h,w,c]^2)            (accumulated in double)
//   Nx[n,c] = G[n,c] / (mean_c' G[n,c'] + EPS)
//   y       = (gamma[c] * Nx[n,c] + 1) * x + beta[c]
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EPS 1e-6  // attr eps

int grn_global_response_norm(const float* x, const float* gamma, const float* beta, float* y,
                             int64_t N, int64_t H, int64_t W, int64_t C) {
    const int64_t plane = H * W;
    double* ss = malloc((size_t)C * sizeof(double));
    float* scale = malloc((size_t)C * sizeof(float));
    if (ss == NULL || scale == NULL) { free(ss); free(scale); return 1; }
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * plane * C;
        float* yn = y + n * plane * C;
        for (int64_t c = 0; c < C; ++c) ss[c] = 0.0;
        for (int64_t p = 0; p < plane; ++p) {
            const float* row = xn + p * C;
            for (int64_t c = 0; c < C; ++c) ss[c] += (double)row[c] * row[c];
        }
        double mean = 0.0;
        for (int64_t c = 0; c < C; ++c) { ss[c] = sqrt(ss[c]); mean += ss[c]; }
        const double denom = mean / (double)C + EPS;
        for (int64_t c = 0; c < C; ++c) scale[c] = (float)(gamma[c] * (ss[c] / denom) + 1.0);
        for (int64_t p = 0; p < plane; ++p) {
            const float* row = xn + p * C;
            float* out = yn + p * C;
            for (int64_t c = 0; c < C; ++c) out[c] = scale[c] * row[c] + beta[c];
        }
    }
    free(ss);
    free(scale);
    return 0;
}
