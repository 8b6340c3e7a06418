// Baseline for `std_dct2_ii_unnormalized`: unnormalized 2-D DCT-II, along W then along H.
//   X[k] = 2 * sum_n x[n] * cos(pi*k*(2n+1)/(2L))
// Two direct O(L^2) passes with precomputed cosine matrices (built in double, stored as float):
//   T[h, k2] = sum_w x[h, w] * CW[k2, w];   X[k1, k2] = sum_h CH[k1, h] * T[h, k2]
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static float* dct_matrix(int64_t L) {
    float* c = (float*)malloc(sizeof(float) * (size_t)(L * L));
    if (!c) return NULL;
    for (int64_t k = 0; k < L; ++k)
        for (int64_t n = 0; n < L; ++n)
            c[k * L + n] = (float)(2.0 * cos(M_PI * (double)(k * (2 * n + 1)) / (double)(2 * L)));
    return c;
}

int std_dct2_ii_unnormalized(const float* x, float* X, int64_t B, int64_t H, int64_t W) {
    float* cw = dct_matrix(W);
    float* ch = dct_matrix(H);
    float* t = (float*)malloc(sizeof(float) * (size_t)(H * W));
    if (!cw || !ch || !t) {
        free(cw);
        free(ch);
        free(t);
        return 1;
    }
    for (int64_t b = 0; b < B; ++b) {
        const float* xp = x + b * H * W;
        float* yp = X + b * H * W;
        for (int64_t h = 0; h < H; ++h) {          // along W: dot products of contiguous rows
            const float* xr = xp + h * W;
            for (int64_t k2 = 0; k2 < W; ++k2) {
                const float* c = cw + k2 * W;
                float acc = 0.0f;
                for (int64_t w = 0; w < W; ++w) acc += xr[w] * c[w];
                t[h * W + k2] = acc;
            }
        }
        for (int64_t k1 = 0; k1 < H; ++k1) {       // along H: axpy of rows of T
            float* yr = yp + k1 * W;
            for (int64_t k2 = 0; k2 < W; ++k2) yr[k2] = 0.0f;
            for (int64_t h = 0; h < H; ++h) {
                const float c = ch[k1 * H + h];
                const float* tr = t + h * W;
                for (int64_t k2 = 0; k2 < W; ++k2) yr[k2] += c * tr[k2];
            }
        }
    }
    free(cw);
    free(ch);
    free(t);
    return 0;
}
