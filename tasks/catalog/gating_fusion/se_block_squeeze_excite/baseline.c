// Baseline for `se_block_squeeze_excite` (UniRepLKNet SEBlock), NCHW f32, Cr = C / REDUCTION:
//   p[c] = mean_{h,w} x[n,c,h,w]                     (accumulated in double)
//   q[j] = relu(b_down[j] + sum_c w_down[j,c] p[c])
//   g[c] = sigmoid(b_up[c] + sum_j w_up[c,j] q[j])
//   y    = x * g[c]
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define REDUCTION 4  // attr reduction

int se_block_squeeze_excite(const float* x, const float* w_down, const float* b_down,
                            const float* w_up, const float* b_up, float* y,
                            int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    const int64_t cr = C / REDUCTION;
    double* p = malloc((size_t)C * sizeof(double));
    double* q = malloc((size_t)cr * sizeof(double));
    if (p == NULL || q == NULL) { free(p); free(q); return 1; }
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * C * plane;
        float* yn = y + n * C * plane;
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = xn + c * plane;
            double s = 0.0;
            for (int64_t i = 0; i < plane; ++i) s += xc[i];
            p[c] = s / (double)plane;
        }
        for (int64_t j = 0; j < cr; ++j) {
            double s = b_down[j];
            for (int64_t c = 0; c < C; ++c) s += (double)w_down[j * C + c] * p[c];
            q[j] = s > 0.0 ? s : 0.0;
        }
        for (int64_t c = 0; c < C; ++c) {
            double s = b_up[c];
            for (int64_t j = 0; j < cr; ++j) s += (double)w_up[c * cr + j] * q[j];
            const float gate = (float)(1.0 / (1.0 + exp(-s)));
            const float* xc = xn + c * plane;
            float* yc = yn + c * plane;
            for (int64_t i = 0; i < plane; ++i) yc[i] = xc[i] * gate;
        }
    }
    free(p);
    free(q);
    return 0;
}
