// Baseline for `masked_average_pooling` (PANet/PFENet-style MAP), f32 in, double accumulation:
//   m[s] = bilinear_resize(mask[s], (H, W)), align_corners = False
//   proto[c] = mean_s ( sum_hw feat[s,c]*m[s] / (sum_hw m[s] + EPS) )
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EPS 1e-5  // attr eps

static void taps(int64_t n_in, int64_t n_out, int64_t* i0, int64_t* i1, double* lam) {
    const double scale = (double)n_in / (double)n_out;
    for (int64_t d = 0; d < n_out; ++d) {
        double src = ((double)d + 0.5) * scale - 0.5;
        if (src < 0.0) src = 0.0;
        int64_t a = (int64_t)floor(src);
        if (a > n_in - 1) a = n_in - 1;
        i0[d] = a;
        i1[d] = a + 1 < n_in ? a + 1 : n_in - 1;
        lam[d] = src - (double)a;
    }
}

int masked_average_pooling(const float* feat, const float* mask, float* proto,
                           int64_t S, int64_t C, int64_t H, int64_t W, int64_t H0, int64_t W0) {
    const int64_t plane = H * W;
    int64_t* hi0 = malloc((size_t)H * sizeof(int64_t));
    int64_t* hi1 = malloc((size_t)H * sizeof(int64_t));
    int64_t* wi0 = malloc((size_t)W * sizeof(int64_t));
    int64_t* wi1 = malloc((size_t)W * sizeof(int64_t));
    double* hl = malloc((size_t)H * sizeof(double));
    double* wl = malloc((size_t)W * sizeof(double));
    double* m = malloc((size_t)plane * sizeof(double));
    double* acc = calloc((size_t)C, sizeof(double));
    if (!hi0 || !hi1 || !wi0 || !wi1 || !hl || !wl || !m || !acc) {
        free(hi0); free(hi1); free(wi0); free(wi1); free(hl); free(wl); free(m); free(acc);
        return 1;
    }
    taps(H0, H, hi0, hi1, hl);
    taps(W0, W, wi0, wi1, wl);
    for (int64_t s = 0; s < S; ++s) {
        const float* ms = mask + s * H0 * W0;
        double msum = 0.0;
        for (int64_t i = 0; i < H; ++i) {
            const float* r0 = ms + hi0[i] * W0;
            const float* r1 = ms + hi1[i] * W0;
            for (int64_t j = 0; j < W; ++j) {
                const double a = (1.0 - wl[j]) * r0[wi0[j]] + wl[j] * r0[wi1[j]];
                const double b = (1.0 - wl[j]) * r1[wi0[j]] + wl[j] * r1[wi1[j]];
                const double v = (1.0 - hl[i]) * a + hl[i] * b;
                m[i * W + j] = v;
                msum += v;
            }
        }
        const double inv = 1.0 / (msum + EPS);
        for (int64_t c = 0; c < C; ++c) {
            const float* f = feat + (s * C + c) * plane;
            double num = 0.0;
            for (int64_t q = 0; q < plane; ++q) num += (double)f[q] * m[q];
            acc[c] += num * inv;
        }
    }
    for (int64_t c = 0; c < C; ++c) proto[c] = (float)(acc[c] / (double)S);
    free(hi0); free(hi1); free(wi0); free(wi1); free(hl); free(wl); free(m); free(acc);
    return 0;
}
