// Baseline for `bevanet_lska_separable_attention` (BEVANet LSKA, K = 35 -> k1 = 5, k2 = 11, d = 3),
// NCHW f32: 1xk1 -> k1x1 -> 1xk2 (dil d) -> k2x1 (dil d) depthwise convs with bias, 1x1 conv, y = x * attn.
#include <stdint.h>
#include <stdlib.h>

#define K1 5   // attr k1
#define K2 11  // attr k2
#define DIL 3  // attr d

// Depthwise 1-D conv of one channel plane along rows (horiz = 1) or columns (horiz = 0).
static void dw1d(const float* in, float* out, const float* k, float bias, int64_t ks, int64_t dil,
                 int horiz, int64_t H, int64_t W) {
    const int64_t pad = dil * (ks - 1) / 2;
    for (int64_t i = 0; i < H; ++i)
        for (int64_t j = 0; j < W; ++j) {
            float s = bias;
            for (int64_t t = 0; t < ks; ++t) {
                const int64_t ii = horiz ? i : i + t * dil - pad;
                const int64_t jj = horiz ? j + t * dil - pad : j;
                if (ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
                s += k[t] * in[ii * W + jj];
            }
            out[i * W + j] = s;
        }
}

int bevanet_lska_separable_attention(const float* x, const float* wh1, const float* bh1, const float* wv1,
                                     const float* bv1, const float* wh2, const float* bh2, const float* wv2,
                                     const float* bv2, const float* wp, const float* bp, float* y,
                                     int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t P = H * W;
    float* a = malloc(sizeof(float) * C * P);
    float* b = malloc(sizeof(float) * C * P);
    if (!a || !b) { free(a); free(b); return 1; }
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * C * P;
        for (int64_t c = 0; c < C; ++c) {
            dw1d(xn + c * P, a + c * P, wh1 + c * K1, bh1[c], K1, 1, 1, H, W);
            dw1d(a + c * P, b + c * P, wv1 + c * K1, bv1[c], K1, 1, 0, H, W);
            dw1d(b + c * P, a + c * P, wh2 + c * K2, bh2[c], K2, DIL, 1, H, W);
            dw1d(a + c * P, b + c * P, wv2 + c * K2, bv2[c], K2, DIL, 0, H, W);
        }
        for (int64_t o = 0; o < C; ++o) {
            float* yo = y + (n * C + o) * P;
            for (int64_t p = 0; p < P; ++p) yo[p] = bp[o];
            for (int64_t c = 0; c < C; ++c) {
                const float wv = wp[o * C + c];
                const float* bc = b + c * P;
                for (int64_t p = 0; p < P; ++p) yo[p] += wv * bc[p];
            }
            for (int64_t p = 0; p < P; ++p) yo[p] *= xn[o * P + p];
        }
    }
    free(a); free(b);
    return 0;
}
