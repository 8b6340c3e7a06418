// Baseline for `parallel_residual_branch_sum`: y = relu(x + sum_i F_i(x)) with
// F_i = BN2(conv3x3(relu(BN1(conv3x3(x))))) (folded BN, no conv bias, stride 1, zero pad 1).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// out[o] (+)= conv3x3(src, w) for all C output channels of one image; out must be zeroed.
static void conv3x3(const float* src, const float* w, float* out, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    for (int64_t o = 0; o < C; ++o)
        for (int64_t c = 0; c < C; ++c) {
            const float* sc = src + c * plane;
            const float* wk = w + (o * C + c) * 9;
            float* oo = out + o * plane;
            for (int64_t u = 0; u < 3; ++u)
                for (int64_t v = 0; v < 3; ++v) {
                    const float k = wk[u * 3 + v];
                    const int64_t i0 = u == 0 ? 1 : 0, i1 = u == 2 ? H - 1 : H;
                    const int64_t j0 = v == 0 ? 1 : 0, j1 = v == 2 ? W - 1 : W;
                    for (int64_t i = i0; i < i1; ++i) {
                        const float* sr = sc + (i + u - 1) * W + (v - 1);
                        float* orow = oo + i * W;
                        for (int64_t j = j0; j < j1; ++j) orow[j] += k * sr[j];
                    }
                }
        }
}

int parallel_residual_branch_sum(const float* x, const float* w1, const float* s1, const float* t1,
                                 const float* w2, const float* s2, const float* t2, float* y,
                                 int64_t B, int64_t NB, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W, img = C * plane;
    float* a = malloc(sizeof(float) * img);
    float* f = malloc(sizeof(float) * img);
    if (!a || !f) { free(a); free(f); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * img;
        float* yb = y + b * img;
        memcpy(yb, xb, sizeof(float) * img);
        for (int64_t i = 0; i < NB; ++i) {
            memset(a, 0, sizeof(float) * img);
            conv3x3(xb, w1 + i * C * C * 9, a, C, H, W);
            for (int64_t o = 0; o < C; ++o)
                for (int64_t q = 0; q < plane; ++q) {
                    const float z = s1[i * C + o] * a[o * plane + q] + t1[i * C + o];
                    a[o * plane + q] = z > 0.0f ? z : 0.0f;
                }
            memset(f, 0, sizeof(float) * img);
            conv3x3(a, w2 + i * C * C * 9, f, C, H, W);
            for (int64_t o = 0; o < C; ++o)
                for (int64_t q = 0; q < plane; ++q) yb[o * plane + q] += s2[i * C + o] * f[o * plane + q] + t2[i * C + o];
        }
        for (int64_t q = 0; q < img; ++q) yb[q] = yb[q] > 0.0f ? yb[q] : 0.0f;
    }
    free(a);
    free(f);
    return 0;
}
