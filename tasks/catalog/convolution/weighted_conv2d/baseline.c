// Baseline for `weighted_conv2d` (Optimal Weighted Convolution, wConv2d), NCHW f32:
//   alfa = [den, 1, reverse(den)], Phi[u][v] = alfa[u] * alfa[v]
//   y = conv2d(x, w * Phi), k = 7, stride 1, zero pad 3, dilation 1, groups 1, no bias
#include <stdint.h>
#include <stdlib.h>

#define K 7
#define PAD 3

int weighted_conv2d(const float* x, const float* w, const float* den, float* y,
                    int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t half = (K - 1) / 2;
    float alfa[K];
    for (int64_t t = 0; t < K; ++t) alfa[t] = 1.0f;
    for (int64_t t = 0; t < half; ++t) { alfa[t] = den[t]; alfa[K - 1 - t] = den[t]; }

    // effective kernel w * Phi
    float* we = (float*)malloc((size_t)(Cout * Cin * K * K) * sizeof(float));
    if (!we) return 1;
    for (int64_t oc = 0; oc < Cout * Cin; ++oc)
        for (int64_t u = 0; u < K; ++u)
            for (int64_t v = 0; v < K; ++v)
                we[(oc * K + u) * K + v] = w[(oc * K + u) * K + v] * (alfa[u] * alfa[v]);

    const int64_t plane = H * W;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (b * Cout + o) * plane;
            for (int64_t p = 0; p < plane; ++p) yo[p] = 0.0f;
            for (int64_t c = 0; c < Cin; ++c) {
                const float* xc = x + (b * Cin + c) * plane;
                const float* wk = we + (o * Cin + c) * K * K;
                for (int64_t u = 0; u < K; ++u) {
                    for (int64_t v = 0; v < K; ++v) {
                        const float kv = wk[u * K + v];
                        const int64_t i0 = PAD - u > 0 ? PAD - u : 0;
                        const int64_t i1 = H + PAD - u < H ? H + PAD - u : H;
                        const int64_t j0 = PAD - v > 0 ? PAD - v : 0;
                        const int64_t j1 = W + PAD - v < W ? W + PAD - v : W;
                        for (int64_t i = i0; i < i1; ++i) {
                            const float* xr = xc + (i + u - PAD) * W + (v - PAD);
                            float* yr = yo + i * W;
                            for (int64_t j = j0; j < j1; ++j) yr[j] += kv * xr[j];
                        }
                    }
                }
            }
        }
    }
    free(we);
    return 0;
}
