// Baseline for `std_group_norm`, NCHW f32, GROUPS groups of C/GROUPS consecutive channels:
//   mean, var (biased) over the Cg*H*W values of each (b, group)     (two passes in double)
//   y[b,c,h,w] = (x - mean) / sqrt(var + EPS) * gamma[c] + beta[c]
#include <math.h>
#include <stdint.h>

#define GROUPS 8     // attr groups
#define EPS 1e-5     // attr eps

int std_group_norm(const float* x, const float* gamma, const float* beta, float* y,
                   int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    const int64_t cg = C / GROUPS;
    const int64_t count = cg * plane;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t g = 0; g < GROUPS; ++g) {
            const int64_t start = (b * C + g * cg) * plane;
            const float* xs = x + start;
            double s = 0.0;
            for (int64_t i = 0; i < count; ++i) s += xs[i];
            const double mean = s / (double)count;
            double v = 0.0;
            for (int64_t i = 0; i < count; ++i) {
                const double d = (double)xs[i] - mean;
                v += d * d;
            }
            const double inv_std = 1.0 / sqrt(v / (double)count + EPS);
            for (int64_t ci = 0; ci < cg; ++ci) {
                const int64_t c = g * cg + ci;
                const float scale = (float)(inv_std * gamma[c]);
                const float shift = (float)(beta[c] - mean * inv_std * gamma[c]);
                const float* xc = xs + ci * plane;
                float* yc = y + start + ci * plane;
                for (int64_t p = 0; p < plane; ++p) yc[p] = xc[p] * scale + shift;
            }
        }
    }
    return 0;
}
